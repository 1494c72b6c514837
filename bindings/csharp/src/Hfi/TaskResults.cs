using System;
using System.Collections.Generic;
using System.Linq;
using Hfi.Json;

namespace Hfi
{
    /// <summary>The output of any task: JSON in the shape of the task's spec, or media bytes.</summary>
    public sealed class TaskOutput
    {
        internal TaskOutput(string json, byte[] bytes, string mediaType, string text, string provider)
        {
            Json = json;
            Bytes = bytes;
            MediaType = mediaType;
            Text = text;
            Provider = provider;
        }

        /// <summary>The output normalised to the task spec's shape ("" for media).</summary>
        public string Json { get; }

        /// <summary>The bytes of an image, audio or video output (empty otherwise).</summary>
        public byte[] Bytes { get; }

        /// <summary>The MIME type of <see cref="Bytes"/>.</summary>
        public string MediaType { get; }

        /// <summary>The main text of text outputs (generated text, summary, transcript).</summary>
        public string Text { get; }

        /// <summary>The provider that served it.</summary>
        public string Provider { get; }

        internal JsonValue Parse(string task)
        {
            try
            {
                return JsonValue.Parse(Json);
            }
            catch (FormatException e)
            {
                throw new HfiException(HfiStatus.Protocol, "the " + task + " output is not JSON: " + e.Message, provider: Provider);
            }
        }
    }

    /// <summary>An image, audio clip or video.</summary>
    public sealed class Media
    {
        internal Media(byte[] bytes, string mediaType, string provider)
        {
            Bytes = bytes;
            MediaType = mediaType;
            Provider = provider;
        }

        /// <summary>The bytes.</summary>
        public byte[] Bytes { get; }

        /// <summary>Their MIME type (<c>image/png</c>, <c>audio/wav</c>, <c>video/mp4</c>, ...).</summary>
        public string MediaType { get; }

        /// <summary>The provider that made it.</summary>
        public string Provider { get; }
    }

    /// <summary>A label and its score (text, image, audio and zero-shot classification).</summary>
    public sealed class Classification
    {
        internal Classification(JsonValue v)
        {
            Label = v["label"].AsString();
            Score = v["score"].AsDouble();
        }

        /// <summary>The label.</summary>
        public string Label { get; }

        /// <summary>Its score.</summary>
        public double Score { get; }
    }

    /// <summary>An entity of token classification.</summary>
    public sealed class TokenEntity
    {
        internal TokenEntity(JsonValue v)
        {
            EntityGroup = v["entity_group"].AsString(v["entity"].AsString());
            Score = v["score"].AsDouble();
            Word = v["word"].AsString();
            Start = v["start"].Exists ? v["start"].AsLong() : (long?)null;
            End = v["end"].Exists ? v["end"].AsLong() : (long?)null;
        }

        /// <summary>The entity's group (<c>PER</c>, <c>LOC</c>, ...).</summary>
        public string EntityGroup { get; }

        /// <summary>Its score.</summary>
        public double Score { get; }

        /// <summary>The words.</summary>
        public string Word { get; }

        /// <summary>Where it starts in the text.</summary>
        public long? Start { get; }

        /// <summary>Where it ends.</summary>
        public long? End { get; }
    }

    /// <summary>An answer (question answering over text, images or documents).</summary>
    public sealed class Answer
    {
        internal Answer(JsonValue v)
        {
            Text = v["answer"].AsString();
            Score = v["score"].AsDouble();
            Start = v["start"].Exists ? v["start"].AsLong() : (long?)null;
            End = v["end"].Exists ? v["end"].AsLong() : (long?)null;
        }

        /// <summary>The answer.</summary>
        public string Text { get; }

        /// <summary>Its score.</summary>
        public double Score { get; }

        /// <summary>Where it starts in the context, when it comes from one.</summary>
        public long? Start { get; }

        /// <summary>Where it ends.</summary>
        public long? End { get; }
    }

    /// <summary>An answer about a table.</summary>
    public sealed class TableAnswer
    {
        internal TableAnswer(JsonValue v)
        {
            Text = v["answer"].AsString();
            Cells = v["cells"].Items.Select(c => c.AsString()).ToList();
            Aggregator = v["aggregator"].AsString();
        }

        /// <summary>The answer.</summary>
        public string Text { get; }

        /// <summary>The cells it comes from.</summary>
        public IReadOnlyList<string> Cells { get; }

        /// <summary>The aggregation applied, or "".</summary>
        public string Aggregator { get; }
    }

    /// <summary>A candidate of fill-mask.</summary>
    public sealed class MaskFill
    {
        internal MaskFill(JsonValue v)
        {
            Sequence = v["sequence"].AsString();
            Score = v["score"].AsDouble();
            Token = v["token"].AsLong();
            TokenText = v["token_str"].AsString();
        }

        /// <summary>The text with the mask filled.</summary>
        public string Sequence { get; }

        /// <summary>Its score.</summary>
        public double Score { get; }

        /// <summary>The token id.</summary>
        public long Token { get; }

        /// <summary>The token.</summary>
        public string TokenText { get; }
    }

    /// <summary>An object found in an image, with its box in pixels.</summary>
    public sealed class Detection
    {
        internal Detection(JsonValue v)
        {
            Label = v["label"].AsString();
            Score = v["score"].AsDouble();
            JsonValue box = v["box"];
            XMin = box["xmin"].AsLong();
            YMin = box["ymin"].AsLong();
            XMax = box["xmax"].AsLong();
            YMax = box["ymax"].AsLong();
        }

        /// <summary>The object's label.</summary>
        public string Label { get; }

        /// <summary>Its score.</summary>
        public double Score { get; }

        /// <summary>Left.</summary>
        public long XMin { get; }

        /// <summary>Top.</summary>
        public long YMin { get; }

        /// <summary>Right.</summary>
        public long XMax { get; }

        /// <summary>Bottom.</summary>
        public long YMax { get; }
    }

    /// <summary>A region of image segmentation.</summary>
    public sealed class Segment
    {
        internal Segment(JsonValue v)
        {
            Label = v["label"].AsString();
            Score = v["score"].Exists ? v["score"].AsDouble() : (double?)null;
            Mask = v["mask"].AsString();
        }

        /// <summary>The region's label.</summary>
        public string Label { get; }

        /// <summary>Its score, when the model gives one.</summary>
        public double? Score { get; }

        /// <summary>The mask, a base64 image.</summary>
        public string Mask { get; }
    }

    /// <summary>An audio of audio-to-audio.</summary>
    public sealed class AudioOutput
    {
        internal AudioOutput(JsonValue v)
        {
            Label = v["label"].AsString();
            Blob = v["blob"].AsString();
            ContentType = v["content-type"].AsString();
        }

        /// <summary>Its label.</summary>
        public string Label { get; }

        /// <summary>The audio, base64.</summary>
        public string Blob { get; }

        /// <summary>Its MIME type.</summary>
        public string ContentType { get; }
    }
}
