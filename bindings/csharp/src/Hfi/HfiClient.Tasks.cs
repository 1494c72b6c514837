using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Hfi.Core;
using Hfi.Json;
using Hfi.Native;

namespace Hfi
{
    public sealed partial class HfiClient
    {
        /// <summary>
        /// Runs any Hugging Face task (<c>text-to-image</c>, <c>summarization</c>, ...) on
        /// <paramref name="model"/>. <paramref name="json"/> is the task-spec request
        /// (<c>{"inputs": ..., "parameters": ...}</c>), or null when a binary input
        /// (<see cref="CallOptions.Input"/>) is all there is. Jobs are polled to the end and their
        /// files downloaded; <see cref="CallOptions.Progress"/> hears how they go.
        /// </summary>
        /// <exception cref="HfiException">An unknown task or provider, an invalid body (at once), or the call's failure.</exception>
        public unsafe Task<TaskOutput> RunTaskAsync(string task, string model, string? json, CallOptions? options = null,
                                                    CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrEmpty(task))
                throw HfiException.Invalid("the task is empty");
            if (string.IsNullOrEmpty(model))
                throw HfiException.Invalid("the model is empty");
            byte[] t = Utf8.EncodeZ(task, "the task");
            byte[] m = Utf8.EncodeZ(model, "the model");
            byte[] body = json == null ? Array.Empty<byte>() : Utf8.Encode(json, "the body");
            var op = new TaskOperation(Core, this, options?.Progress, cancellationToken);
            Core.Start(op, options, (client, o, outRequest) =>
            {
                fixed (byte* tp = t)
                fixed (byte* mp = m)
                fixed (byte* bp = body)
                    return NativeMethods.hfi_task_start(client, tp, mp, bp, (UIntPtr)body.Length, o, outRequest);
            });
            return op.Task;
        }

        /// <summary><see cref="RunTaskAsync"/>, blocking the calling thread.</summary>
        public TaskOutput RunTask(string task, string model, string? json, CallOptions? options = null,
                                  CancellationToken cancellationToken = default) =>
            Core.Block(RunTaskAsync(task, model, json, options, cancellationToken));

        /// <summary>The router's chat models, or one of them, with the providers serving each
        /// (status, pricing, context length, latency), as the router's JSON.</summary>
        public unsafe JsonValue ListModels(string? model = null)
        {
            byte[]? m = model == null ? null : Utf8.EncodeZ(model, "the model");
            string json = Core.With(client =>
            {
                IntPtr response;
                int status;
                fixed (byte* mp = m)
                    status = NativeMethods.hfi_list_models(client, mp, &response);
                try
                {
                    if (status != 0)
                        throw response == IntPtr.Zero ? HfiException.FromLastError(status) : ResponseReader.Error(status, response);
                    return ResponseReader.Task(response).Json;
                }
                finally
                {
                    NativeMethods.hfi_response_free(response);
                }
            });
            try
            {
                return JsonValue.Parse(json);
            }
            catch (FormatException e)
            {
                throw new HfiException(HfiStatus.Protocol, "the model listing is not JSON: " + e.Message);
            }
        }

        /// <summary><see cref="ListModels"/> on the thread pool.</summary>
        public Task<JsonValue> ListModelsAsync(string? model = null) => Task.Run(() => ListModels(model));

        // ---- typed tasks --------------------------------------------------------------------

        private async Task<JsonValue> TaskJson(string task, string model, string? json, CallOptions? options, CancellationToken ct)
        {
            TaskOutput output = await RunTaskAsync(task, model, json, options, ct).ConfigureAwait(false);
            return output.Parse(task);
        }

        private async Task<Media> TaskMedia(string task, string model, string? json, CallOptions? options, CancellationToken ct)
        {
            TaskOutput output = await RunTaskAsync(task, model, json, options, ct).ConfigureAwait(false);
            if (output.Bytes.Length == 0)
                throw new HfiException(HfiStatus.Protocol, "the " + task + " answer has no media", provider: output.Provider);
            return new Media(output.Bytes, output.MediaType, output.Provider);
        }

        private static CallOptions WithInput(CallOptions? options, byte[] input, string task)
        {
            if (input == null)
                throw new ArgumentNullException(nameof(input));
            if (input.Length == 0)
                throw HfiException.Invalid(task + ": the input is empty");
            return (options ?? new CallOptions()).With(input);
        }

        private static string Inputs(string text, string? parametersJson)
        {
            if (text == null)
                throw new ArgumentNullException(nameof(text));
            var w = new JsonWriter().BeginObject().Name("inputs").String(text);
            if (parametersJson != null)
                w.Name("parameters").Raw(parametersJson, "the parameters");
            return w.EndObject().ToString();
        }

        private static string Parameters(string? parametersJson)
        {
            var w = new JsonWriter().BeginObject();
            if (parametersJson != null)
                w.Name("parameters").Raw(parametersJson, "the parameters");
            return w.EndObject().ToString();
        }

        private static string Labels(string? text, IEnumerable<string> labels)
        {
            if (labels == null)
                throw new ArgumentNullException(nameof(labels));
            var w = new JsonWriter().BeginObject();
            if (text != null)
                w.Name("inputs").String(text);
            w.Name("parameters").BeginObject().Name("candidate_labels").BeginArray();
            int n = 0;
            foreach (string label in labels)
            {
                w.String(label ?? throw new ArgumentNullException(nameof(labels)));
                n++;
            }
            if (n == 0)
                throw HfiException.Invalid("no candidate label");
            return w.EndArray().EndObject().EndObject().ToString();
        }

        private static string Question(string question)
        {
            if (question == null)
                throw new ArgumentNullException(nameof(question));
            return new JsonWriter().BeginObject().Name("inputs").BeginObject().Name("question").String(question).EndObject().EndObject().ToString();
        }

        private static string Table(IReadOnlyDictionary<string, IReadOnlyList<string>> columns, string member, string? query)
        {
            if (columns == null)
                throw new ArgumentNullException(nameof(columns));
            var w = new JsonWriter().BeginObject().Name("inputs").BeginObject();
            if (query != null)
                w.Name("query").String(query);
            w.Name(member).BeginObject();
            foreach (KeyValuePair<string, IReadOnlyList<string>> column in columns)
            {
                w.Name(column.Key).BeginArray();
                foreach (string cell in column.Value)
                    w.String(cell);
                w.EndArray();
            }
            return w.EndObject().EndObject().EndObject().ToString();
        }

        private static IReadOnlyList<T> List<T>(JsonValue v, Func<JsonValue, T> make) => v.Items.Select(make).ToList();

        /// <summary>Continues a prompt (text-generation).</summary>
        public async Task<string> TextGenerationAsync(string model, string prompt, string? parametersJson = null, CallOptions? options = null, CancellationToken cancellationToken = default)
        {
            JsonValue v = await TaskJson("text-generation", model, Inputs(prompt, parametersJson), options, cancellationToken).ConfigureAwait(false);
            return (v.Kind == JsonKind.Array ? v[0] : v)["generated_text"].AsString();
        }

        /// <summary>Summarises a text.</summary>
        public async Task<string> SummarizationAsync(string model, string text, CallOptions? options = null, CancellationToken cancellationToken = default)
        {
            JsonValue v = await TaskJson("summarization", model, Inputs(text, null), options, cancellationToken).ConfigureAwait(false);
            return (v.Kind == JsonKind.Array ? v[0] : v)["summary_text"].AsString();
        }

        /// <summary>Translates a text.</summary>
        public async Task<string> TranslationAsync(string model, string text, CallOptions? options = null, CancellationToken cancellationToken = default)
        {
            JsonValue v = await TaskJson("translation", model, Inputs(text, null), options, cancellationToken).ConfigureAwait(false);
            return (v.Kind == JsonKind.Array ? v[0] : v)["translation_text"].AsString();
        }

        /// <summary>Classifies a text.</summary>
        public async Task<IReadOnlyList<Classification>> TextClassificationAsync(string model, string text, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("text-classification", model, Inputs(text, null), options, cancellationToken).ConfigureAwait(false), v => new Classification(v));

        /// <summary>Finds the entities of a text.</summary>
        public async Task<IReadOnlyList<TokenEntity>> TokenClassificationAsync(string model, string text, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("token-classification", model, Inputs(text, null), options, cancellationToken).ConfigureAwait(false), v => new TokenEntity(v));

        /// <summary>Fills the mask token of a text.</summary>
        public async Task<IReadOnlyList<MaskFill>> FillMaskAsync(string model, string text, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("fill-mask", model, Inputs(text, null), options, cancellationToken).ConfigureAwait(false), v => new MaskFill(v));

        /// <summary>Scores a text against labels chosen at call time.</summary>
        public async Task<IReadOnlyList<Classification>> ZeroShotClassificationAsync(string model, string text, IEnumerable<string> labels, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("zero-shot-classification", model, Labels(text ?? throw new ArgumentNullException(nameof(text)), labels), options, cancellationToken).ConfigureAwait(false), v => new Classification(v));

        /// <summary>Answers a question from a context text, the best answers first.</summary>
        public async Task<IReadOnlyList<Answer>> QuestionAnsweringAsync(string model, string question, string context, CallOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (question == null || context == null)
                throw new ArgumentNullException(question == null ? nameof(question) : nameof(context));
            string body = new JsonWriter().BeginObject().Name("inputs").BeginObject().Name("question").String(question).Name("context").String(context).EndObject().EndObject().ToString();
            JsonValue v = await TaskJson("question-answering", model, body, options, cancellationToken).ConfigureAwait(false);
            return v.Kind == JsonKind.Array ? List(v, a => new Answer(a)) : new[] { new Answer(v) };
        }

        /// <summary>Answers a question about a table given as columns (name → cells).</summary>
        public async Task<IReadOnlyList<TableAnswer>> TableQuestionAnsweringAsync(string model, string query, IReadOnlyDictionary<string, IReadOnlyList<string>> table, CallOptions? options = null, CancellationToken cancellationToken = default)
        {
            JsonValue v = await TaskJson("table-question-answering", model, Table(table, "table", query ?? throw new ArgumentNullException(nameof(query))), options, cancellationToken).ConfigureAwait(false);
            return v.Kind == JsonKind.Array ? List(v, a => new TableAnswer(a)) : new[] { new TableAnswer(v) };
        }

        /// <summary>Embeds each text as a vector.</summary>
        public async Task<IReadOnlyList<float[]>> FeatureExtractionAsync(string model, IEnumerable<string> texts, CallOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (texts == null)
                throw new ArgumentNullException(nameof(texts));
            var w = new JsonWriter().BeginObject().Name("inputs").BeginArray();
            int n = 0;
            foreach (string text in texts)
            {
                w.String(text ?? throw new ArgumentNullException(nameof(texts)));
                n++;
            }
            if (n == 0)
                throw HfiException.Invalid("feature-extraction needs at least one text");
            JsonValue v = await TaskJson("feature-extraction", model, w.EndArray().EndObject().ToString(), options, cancellationToken).ConfigureAwait(false);
            return List(v, row => row.Items.Select(x => (float)x.AsDouble()).ToArray());
        }

        /// <summary>Scores each sentence against the source sentence.</summary>
        public async Task<IReadOnlyList<double>> SentenceSimilarityAsync(string model, string source, IEnumerable<string> sentences, CallOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (source == null || sentences == null)
                throw new ArgumentNullException(source == null ? nameof(source) : nameof(sentences));
            var w = new JsonWriter().BeginObject().Name("inputs").BeginObject().Name("source_sentence").String(source).Name("sentences").BeginArray();
            foreach (string s in sentences)
                w.String(s ?? throw new ArgumentNullException(nameof(sentences)));
            JsonValue v = await TaskJson("sentence-similarity", model, w.EndArray().EndObject().EndObject().ToString(), options, cancellationToken).ConfigureAwait(false);
            return List(v, x => x.AsDouble());
        }

        /// <summary>Classifies each row of a table given as columns (name → cells).</summary>
        public async Task<IReadOnlyList<JsonValue>> TabularClassificationAsync(string model, IReadOnlyDictionary<string, IReadOnlyList<string>> columns, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            (await TaskJson("tabular-classification", model, Table(columns, "data", null), options, cancellationToken).ConfigureAwait(false)).Items;

        /// <summary>Predicts a number for each row of a table given as columns (name → cells).</summary>
        public async Task<IReadOnlyList<double>> TabularRegressionAsync(string model, IReadOnlyDictionary<string, IReadOnlyList<string>> columns, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("tabular-regression", model, Table(columns, "data", null), options, cancellationToken).ConfigureAwait(false), x => x.AsDouble());

        /// <summary>Transcribes an audio clip.</summary>
        public async Task<string> AutomaticSpeechRecognitionAsync(string model, byte[] audio, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            (await TaskJson("automatic-speech-recognition", model, null, WithInput(options, audio, "automatic-speech-recognition"), cancellationToken).ConfigureAwait(false))["text"].AsString();

        /// <summary>Classifies an audio clip.</summary>
        public async Task<IReadOnlyList<Classification>> AudioClassificationAsync(string model, byte[] audio, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("audio-classification", model, null, WithInput(options, audio, "audio-classification"), cancellationToken).ConfigureAwait(false), v => new Classification(v));

        /// <summary>Transforms an audio clip (separation, enhancement).</summary>
        public async Task<IReadOnlyList<AudioOutput>> AudioToAudioAsync(string model, byte[] audio, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("audio-to-audio", model, null, WithInput(options, audio, "audio-to-audio"), cancellationToken).ConfigureAwait(false), v => new AudioOutput(v));

        /// <summary>Classifies an image.</summary>
        public async Task<IReadOnlyList<Classification>> ImageClassificationAsync(string model, byte[] image, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("image-classification", model, null, WithInput(options, image, "image-classification"), cancellationToken).ConfigureAwait(false), v => new Classification(v));

        /// <summary>Finds the objects of an image.</summary>
        public async Task<IReadOnlyList<Detection>> ObjectDetectionAsync(string model, byte[] image, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("object-detection", model, null, WithInput(options, image, "object-detection"), cancellationToken).ConfigureAwait(false), v => new Detection(v));

        /// <summary>Splits an image into labelled regions.</summary>
        public async Task<IReadOnlyList<Segment>> ImageSegmentationAsync(string model, byte[] image, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("image-segmentation", model, null, WithInput(options, image, "image-segmentation"), cancellationToken).ConfigureAwait(false), v => new Segment(v));

        /// <summary>Describes an image.</summary>
        public async Task<string> ImageToTextAsync(string model, byte[] image, CallOptions? options = null, CancellationToken cancellationToken = default)
        {
            JsonValue v = await TaskJson("image-to-text", model, null, WithInput(options, image, "image-to-text"), cancellationToken).ConfigureAwait(false);
            return (v.Kind == JsonKind.Array ? v[0] : v)["generated_text"].AsString();
        }

        /// <summary>Scores an image against labels chosen at call time.</summary>
        public async Task<IReadOnlyList<Classification>> ZeroShotImageClassificationAsync(string model, byte[] image, IEnumerable<string> labels, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("zero-shot-image-classification", model, Labels(null, labels), WithInput(options, image, "zero-shot-image-classification"), cancellationToken).ConfigureAwait(false), v => new Classification(v));

        /// <summary>Answers a question about an image.</summary>
        public async Task<IReadOnlyList<Answer>> VisualQuestionAnsweringAsync(string model, byte[] image, string question, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("visual-question-answering", model, Question(question), WithInput(options, image, "visual-question-answering"), cancellationToken).ConfigureAwait(false), v => new Answer(v));

        /// <summary>Answers a question about a document image.</summary>
        public async Task<IReadOnlyList<Answer>> DocumentQuestionAnsweringAsync(string model, byte[] image, string question, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            List(await TaskJson("document-question-answering", model, Question(question), WithInput(options, image, "document-question-answering"), cancellationToken).ConfigureAwait(false), v => new Answer(v));

        /// <summary>Generates an image from a prompt; <paramref name="parametersJson"/> holds the task's parameters, or null.</summary>
        public Task<Media> TextToImageAsync(string model, string prompt, string? parametersJson = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            TaskMedia("text-to-image", model, Inputs(prompt, parametersJson), options, cancellationToken);

        /// <summary>Transforms an image (the parameters usually hold a <c>prompt</c>).</summary>
        public Task<Media> ImageToImageAsync(string model, byte[] image, string? parametersJson = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            TaskMedia("image-to-image", model, Parameters(parametersJson), WithInput(options, image, "image-to-image"), cancellationToken);

        /// <summary>Generates a video from a prompt.</summary>
        public Task<Media> TextToVideoAsync(string model, string prompt, string? parametersJson = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            TaskMedia("text-to-video", model, Inputs(prompt, parametersJson), options, cancellationToken);

        /// <summary>Animates an image (the parameters usually hold a <c>prompt</c>).</summary>
        public Task<Media> ImageToVideoAsync(string model, byte[] image, string? parametersJson = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            TaskMedia("image-to-video", model, Parameters(parametersJson), WithInput(options, image, "image-to-video"), cancellationToken);

        /// <summary>Speaks a text.</summary>
        public Task<Media> TextToSpeechAsync(string model, string text, string? parametersJson = null, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            TaskMedia("text-to-speech", model, Inputs(text, parametersJson), options, cancellationToken);
    }
}
