using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Hfi.Native;
using Xunit;
using static Hfi.Tests.Emulator;

namespace Hfi.Tests
{
    /// <summary>Misuse gets an exception, never a crash or a hang.</summary>
    public class MisuseTests
    {
        private static Emulator Emu => Instance;

        private static void Invalid(string what, Action action)
        {
            HfiException e = Assert.Throws<HfiException>(action);
            Assert.True(e.Status == HfiStatus.InvalidArg, what + ": " + e);
            Assert.False(string.IsNullOrEmpty(e.Detail), what + ": no reason given");
        }

        private static async Task InvalidAsync(string what, Func<Task> action)
        {
            HfiException e = await Assert.ThrowsAsync<HfiException>(action);
            Assert.True(e.Status == HfiStatus.InvalidArg, what + ": " + e);
            Assert.False(string.IsNullOrEmpty(e.Detail), what + ": no reason given");
        }

        [Fact]
        public void BadSettingsFailTheConstructorWithTheReason()
        {
            Invalid("ftp base URL", () => new HfiClient(new HfiClientOptions { BaseUrl = "ftp://example.com" }));
            var header = new HfiClientOptions();
            header.Headers.Add("Bad\r\nName: x");
            Invalid("CR/LF header", () => new HfiClient(header));
            Invalid("NUL in a URL", () => new HfiClient(new HfiClientOptions { BaseUrl = "http://a\0b" }));
            Invalid("negative timeout", () => new HfiClient(new HfiClientOptions { Timeout = TimeSpan.FromSeconds(-1) }));
            Invalid("lone surrogate", () => new HfiClient(new HfiClientOptions { UserAgent = "\ud800" }));
            var both = new HfiClientOptions { BaseUrl = "https://b.example/v1" };
            both.Targets.Add("https://a.example/v1");
            Assert.Throws<HfiException>(() => new HfiClient(both));
            HfiException unknown = Assert.Throws<HfiException>(() => new HfiClient(new HfiClientOptions().Set(2999, 1)));
            Assert.Equal(HfiStatus.UnknownOption, unknown.Status);
            Assert.Throws<ArgumentNullException>(() => new HfiClient(null!));
            Assert.Throws<ArgumentNullException>(() => new HfiClientOptions().Set(1001, null!));
        }

        [Fact]
        public async Task NullEmptyAndInvalidArguments()
        {
            using HfiClient c = Emu.Client();
            Assert.IsType<ArgumentNullException>(Record.Exception(() => { c.ChatAsync(null!); })); // at once, not in the task
            Assert.Throws<ArgumentNullException>(() => c.StreamChat(null!));
            Assert.Throws<ArgumentNullException>(() => new ChatRequest(null!, "x"));
            Assert.Throws<ArgumentNullException>(() => ChatRequest.FromJson(null!));
            Assert.Throws<ArgumentNullException>(() => new ChatMessage(null!, "x"));
            Assert.Throws<ArgumentNullException>(() => new ChatMessage("user", null!));
            Assert.Throws<ArgumentNullException>(() => new ChatRequest("m", (ChatMessage)null!));
            var nullHeader = new CallOptions();
            nullHeader.Headers.Add(null!);
            Invalid("null header", () => c.ChatAsync(Ask("x"), nullHeader));
            Invalid("no model", () => c.ChatAsync(new ChatRequest("", "x")));
            Invalid("no messages", () => c.ChatAsync(new ChatRequest("m")));
            Invalid("empty body", () => c.ChatAsync(ChatRequest.FromJson("")));
            Invalid("body without a model", () => c.ChatAsync(ChatRequest.FromJson("{\"messages\":[]}")));
            Invalid("stream body not JSON", () => c.StreamChat(ChatRequest.FromJson("not json")));
            Invalid("tools not JSON", () => c.ChatAsync(new ChatRequest("m", "x") { ToolsJson = "[" }));
            Invalid("NaN temperature", () => c.ChatAsync(new ChatRequest("m", "x") { Temperature = double.NaN }));
            Invalid("empty task", () => c.RunTaskAsync("", "m", null));
            Invalid("empty model", () => c.RunTaskAsync("text-to-image", "", null));
            Invalid("NUL in the task", () => c.RunTaskAsync("text\0to", "m", null));
            await Assert.ThrowsAsync<HfiException>(() => c.RunTaskAsync("no-such-task", "emu/x", "{\"inputs\":\"x\"}"));
            Invalid("empty binary input", () => c.RunTaskAsync("summarization", "emu/summarization", "{\"inputs\":\"x\"}", new CallOptions { Input = Array.Empty<byte>() }));
            await InvalidAsync("no image", () => c.ImageClassificationAsync("emu/image-classification", Array.Empty<byte>()));
            await Assert.ThrowsAsync<ArgumentNullException>(() => c.ImageClassificationAsync("emu/image-classification", null!));
            await InvalidAsync("no texts", () => c.FeatureExtractionAsync("emu/feature-extraction", Array.Empty<string>()));
            await InvalidAsync("no labels", () => c.ZeroShotClassificationAsync("emu/zero-shot-classification", "x", Array.Empty<string>()));
            await InvalidAsync("parameters not JSON", () => c.TextToImageAsync("emu/text-to-image", "x", "{oops"));
            Invalid("DataUrl of nothing", () => HfiClient.DataUrl(Array.Empty<byte>()));
            Assert.Throws<ArgumentNullException>(() => HfiClient.DataUrl(null!));
            var nulHeader = new CallOptions();
            nulHeader.Headers.Add("X-A: a\0b");
            Invalid("NUL in a header", () => c.ChatAsync(Ask("x"), nulHeader));
            Invalid("negative request timeout", () => c.ChatAsync(Ask("x"), new CallOptions { Timeout = TimeSpan.FromMilliseconds(-5) }));
            var badProvider = new CallOptions();
            badProvider.Providers.Add("no such provider!");
            Invalid("bad provider name", () => c.RunTaskAsync("text-to-image", "emu/text-to-image", "{\"inputs\":\"x\"}", badProvider));
            Assert.Throws<InvalidOperationException>(() => c.Poll()); // a background client polls by itself
            // After all that, the client serves.
            Assert.Equal("Hello! You said: ok", (await c.ChatAsync(Ask("ok"))).Content);
        }

        [Fact]
        public async Task ADisposedClientRefusesEveryCall()
        {
            HfiClient c = Emu.Client();
            c.Dispose();
            c.Dispose();
            Assert.IsType<ObjectDisposedException>(Record.Exception(() => { c.ChatAsync(Ask("x")); }));
            Assert.Throws<ObjectDisposedException>(() => c.Chat(Ask("x")));
            Assert.Throws<ObjectDisposedException>(() => c.StreamChat(Ask("x")));
            await Assert.ThrowsAsync<ObjectDisposedException>(() => c.SummarizationAsync("emu/summarization", "x"));
            Assert.Throws<ObjectDisposedException>(() => c.RunTask("summarization", "emu/summarization", "{\"inputs\":\"x\"}"));
            Assert.Throws<ObjectDisposedException>(() => c.ListModels());
            Assert.Throws<ObjectDisposedException>(() => c.Poll());
            HfiClient manual = Emu.Client(Dispatch.Manual);
            manual.Dispose();
            Assert.Throws<ObjectDisposedException>(() => manual.Poll());
        }

        [Fact]
        public async Task ARequestTimeoutEndsASlowCall()
        {
            using var c = Emu.RouteClient("timeout", out _, "{\"delay_ms\": 10000}");
            HfiException e = await Assert.ThrowsAsync<HfiException>(() => c.ChatAsync(Ask("slow"), new CallOptions { Timeout = TimeSpan.FromMilliseconds(200), MaxRetries = 0 }));
            Assert.Equal(HfiStatus.Timeout, e.Status);
        }

        [Fact]
        public void TheLoggerGetsRedactedLines()
        {
            var lines = new List<string>();
            var options = Emu.Options();
            // Built at run time so that the source holds nothing shaped like a real token.
            options.Token = "hf_" + string.Concat(Enumerable.Repeat("secret", 5)) + "1234";
            options.LogLevel = LogLevel.Debug;
            options.Logger = (level, line) =>
            {
                lock (lines)
                    lines.Add(level + " " + line);
            };
            using (var c = new HfiClient(options))
                c.Chat(Ask("logged"));
            string all = string.Join("\n", lines);
            Assert.Contains("/v1/chat/completions", all);
            Assert.DoesNotContain("secretsecret", all);
            Assert.Throws<HfiException>(() => new HfiClient(new HfiClientOptions { Logger = (_, _) => { }, LogLevel = (LogLevel)9 }));
        }

        [Fact]
        public void AnExceptionInTheLoggerIsContained()
        {
            var options = Emu.Options();
            options.Logger = (_, _) => throw new InvalidOperationException("logger broke");
            using var c = new HfiClient(options);
            Assert.Equal("Hello! You said: fine", c.Chat(Ask("fine")).Content);
        }

        [Fact]
        public unsafe void TheRawLayerRejectsNullHandles()
        {
            // The generated declarations reach the C functions as they are: NULL gets
            // HFI_E_INVALID_ARG or nothing, never a crash.
            IntPtr nothing = IntPtr.Zero;
            Assert.Equal((int)HfiStatus.InvalidArg, NativeMethods.hfi_client_new(null, nothing));
            Assert.Equal((int)HfiStatus.InvalidArg, NativeMethods.hfi_chat(nothing, null, UIntPtr.Zero, null));
            Assert.Equal((int)HfiStatus.InvalidArg, NativeMethods.hfi_request_cancel(nothing));
            Assert.Equal((int)HfiStatus.InvalidArg, NativeMethods.hfi_client_poll(nothing, 0, null));
            Assert.Equal((int)HfiStatus.InvalidArg, NativeMethods.hfi_request_dispatch(nothing, 0));
            IntPtr ev;
            Assert.Equal((int)HfiStatus.InvalidArg, NativeMethods.hfi_client_next_event(nothing, &ev));
            NativeMethods.hfi_client_free(nothing);
            NativeMethods.hfi_request_free(nothing);
            NativeMethods.hfi_response_free(nothing);
            NativeMethods.hfi_event_free(nothing);
            Assert.Equal((int)HfiStatus.InvalidArg, NativeMethods.hfi_event_type(nothing));
            Assert.Equal(HeaderVersion.Number, NativeMethods.hfi_version_num());
            Assert.Equal(HeaderVersion.Text, HfiClient.NativeVersion);
            NativeMethods.hfi_request_cancel(nothing);
            HfiException e = HfiException.FromLastError((int)HfiStatus.InvalidArg);
            Assert.Equal("hfi: invalid argument: request is NULL", e.Message);
        }
    }
}
