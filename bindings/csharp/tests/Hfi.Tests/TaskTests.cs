using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Hfi.Json;
using Xunit;
using static Hfi.Tests.Emulator;

namespace Hfi.Tests
{
    /// <summary>Every task family through its typed method, against the emulator's models emu/&lt;task&gt;.</summary>
    public class TaskTests
    {
        private static Emulator Emu => Instance;

        private static IReadOnlyDictionary<string, IReadOnlyList<string>> Columns(string name, params string[] cells) =>
            new Dictionary<string, IReadOnlyList<string>> { [name] = cells };

        [Fact]
        public async Task TextTasks()
        {
            using HfiClient c = Emu.Client();
            Assert.NotEmpty(await c.TextGenerationAsync("emu/text-generation", "The fox"));
            Assert.NotEmpty(await c.SummarizationAsync("emu/summarization", "One thing. Two things."));
            Assert.NotEmpty(await c.TranslationAsync("emu/translation", "hello"));
            var cls = await c.TextClassificationAsync("emu/text-classification", "I like it");
            Assert.True(cls.Count > 0 && cls[0].Label.Length > 0 && cls[0].Score > 0);
            Assert.Equal(2, (await c.ZeroShotClassificationAsync("emu/zero-shot-classification", "a cat", new[] { "cat", "dog" })).Count);
            Assert.NotEmpty((await c.TokenClassificationAsync("emu/token-classification", "Emu lives in Paris"))[0].Word);
            Assert.NotEmpty((await c.QuestionAnsweringAsync("emu/question-answering", "Who?", "It was Emu"))[0].Text);
            Assert.NotEmpty((await c.TableQuestionAnsweringAsync("emu/table-question-answering", "x", Columns("a", "x", "y")))[0].Text);
            Assert.NotEmpty((await c.FillMaskAsync("emu/fill-mask", "Paris is [MASK] capital."))[0].TokenText);
            var embeddings = await c.FeatureExtractionAsync("emu/feature-extraction", new[] { "a b", "c" });
            Assert.True(embeddings.Count == 2 && embeddings[0].Length > 0);
            Assert.Equal(2, (await c.SentenceSimilarityAsync("emu/sentence-similarity", "a b", new[] { "a b", "c d" })).Count);
            Assert.Equal(2, (await c.TabularClassificationAsync("emu/tabular-classification", Columns("a", "1", "2"))).Count);
            Assert.Equal(2, (await c.TabularRegressionAsync("emu/tabular-regression", Columns("a", "1", "2"))).Count);
        }

        [Fact]
        public async Task MediaOutputTasks()
        {
            using HfiClient c = Emu.Client();
            var cases = new (string Task, string Prefix, Task<Media> Result)[]
            {
                ("text-to-image", "image/", c.TextToImageAsync("emu/text-to-image", "a red fox")),
                ("image-to-image", "image/", c.ImageToImageAsync("emu/image-to-image", Png(), "{\"prompt\":\"blue\"}")),
                ("text-to-speech", "audio/", c.TextToSpeechAsync("emu/text-to-speech", "hello there")),
                ("text-to-video", "video/", c.TextToVideoAsync("emu/text-to-video", "a fox running")),
                ("image-to-video", "video/", c.ImageToVideoAsync("emu/image-to-video", Png(), "{\"prompt\":\"move\"}")),
            };
            foreach (var (task, prefix, result) in cases)
            {
                Media media = await result;
                Assert.True(media.Bytes.Length > 0, task);
                Assert.StartsWith(prefix, media.MediaType);
                Assert.NotEmpty(media.Provider);
            }
        }

        [Fact]
        public async Task ImageAndAudioInputTasks()
        {
            using HfiClient c = Emu.Client();
            Assert.NotEmpty((await c.ImageClassificationAsync("emu/image-classification", Png()))[0].Label);
            Assert.Equal(2, (await c.ZeroShotImageClassificationAsync("emu/zero-shot-image-classification", Png(), new[] { "png", "jpeg" })).Count);
            Detection d = (await c.ObjectDetectionAsync("emu/object-detection", Png()))[0];
            Assert.True(d.Label.Length > 0 && d.XMax >= d.XMin && d.YMax >= d.YMin);
            Assert.NotEmpty((await c.ImageSegmentationAsync("emu/image-segmentation", Png()))[0].Mask);
            Assert.NotEmpty(await c.ImageToTextAsync("emu/image-to-text", Png()));
            Assert.NotEmpty((await c.VisualQuestionAnsweringAsync("emu/visual-question-answering", Png(), "What colour?"))[0].Text);
            Assert.NotEmpty((await c.DocumentQuestionAnsweringAsync("emu/document-question-answering", Png(), "Total?"))[0].Text);
            Assert.NotEmpty(await c.AutomaticSpeechRecognitionAsync("emu/automatic-speech-recognition", Wav()));
            Assert.NotEmpty((await c.AudioClassificationAsync("emu/audio-classification", Wav()))[0].Label);
            Assert.NotEmpty((await c.AudioToAudioAsync("emu/audio-to-audio", Wav()))[0].Blob);
        }

        [Fact]
        public async Task AGenericTaskOnANamedProviderAndChatThroughATask()
        {
            using HfiClient c = Emu.Client();
            var onTogether = new CallOptions();
            onTogether.Providers.Add("together");
            TaskOutput image = await c.RunTaskAsync("text-to-image", "emu/text-to-image", "{\"inputs\":\"a fox\"}", onTogether);
            Assert.Equal("together", image.Provider);
            Assert.StartsWith("image/", image.MediaType);
            Assert.NotEmpty(image.Bytes);
            TaskOutput chat = c.RunTask("chat-completion", "emu/chat-completion", "{\"messages\":[{\"role\":\"user\",\"content\":\"via task\"}]}");
            Assert.Equal("Hello! You said: via task", chat.Text);
        }

        private sealed class Recorder : IProgress<TaskProgress>
        {
            public readonly List<TaskProgress> Seen = new List<TaskProgress>();
            public Exception? Throw;

            public void Report(TaskProgress value)
            {
                lock (Seen)
                    Seen.Add(value);
                if (Throw != null)
                    throw Throw;
            }
        }

        [Fact]
        public async Task JobProgressIsReportedAndAnExceptionInItEndsTheCall()
        {
            using HfiClient c = Emu.Client();
            var recorder = new Recorder();
            var o = new CallOptions { PollInterval = TimeSpan.FromMilliseconds(10), Progress = recorder };
            o.Providers.Add("fal-ai");
            Media video = await c.TextToVideoAsync("emu/text-to-video", "a fox", null, o);
            Assert.NotEmpty(video.Bytes);
            Assert.NotEmpty(recorder.Seen);
            Assert.NotEmpty(recorder.Seen[0].Status);

            var boom = new InvalidOperationException("boom");
            var failing = new Recorder { Throw = boom };
            var o2 = new CallOptions { PollInterval = TimeSpan.FromMilliseconds(10), Progress = failing };
            o2.Providers.Add("fal-ai");
            Exception e = await Assert.ThrowsAsync<InvalidOperationException>(() => c.TextToVideoAsync("emu/text-to-video", "a fox", null, o2));
            Assert.Same(boom, e);
            Assert.Equal("Hello! You said: still fine", (await c.ChatAsync(Ask("still fine"))).Content);
        }

        [Fact]
        public async Task DisposingFromAProgressCallbackIsRefusedAndTheClientStaysUsable()
        {
            HfiClient c = Emu.Client();
            var o = new CallOptions { PollInterval = TimeSpan.FromMilliseconds(10), Progress = new Inline(_ => c.Dispose()) };
            o.Providers.Add("fal-ai");
            await Assert.ThrowsAsync<InvalidOperationException>(() => c.TextToVideoAsync("emu/text-to-video", "a fox", null, o));
            Assert.Equal("Hello! You said: still open", (await c.ChatAsync(Ask("still open"))).Content);
            c.Dispose();
            Assert.Throws<ObjectDisposedException>(() => c.Chat(Ask("closed")));
        }

        private sealed class Inline : IProgress<TaskProgress>
        {
            private readonly Action<TaskProgress> report;

            public Inline(Action<TaskProgress> report) => this.report = report;

            public void Report(TaskProgress value) => report(value);
        }

        [Fact]
        public async Task ListingDataUrlsAndAVisionChat()
        {
            using HfiClient c = Emu.Client();
            Assert.Equal(JsonKind.Array, (await c.ListModelsAsync())["data"].Kind);
            string url = HfiClient.DataUrl(Png());
            Assert.StartsWith("data:image/png;base64,", url);
            Assert.StartsWith("data:image/webp;base64,", HfiClient.DataUrl(Png(), "image/webp"));
            ChatResponse r = await c.ChatAsync(new ChatRequest("meta-llama/Llama-3.1-8B-Instruct", ChatMessage.User("what is it", url)));
            Assert.Contains("what is it", r.Content);
        }

        [Fact]
        public async Task AnUnknownModelOfATaskIsNotFound()
        {
            using HfiClient c = Emu.Client();
            HfiException e = await Assert.ThrowsAsync<HfiException>(() => c.SummarizationAsync("nobody/nothing", "text"));
            Assert.Equal(HfiStatus.NotFound, e.Status);
            Assert.Equal(404, e.HttpStatus);
        }
    }
}
