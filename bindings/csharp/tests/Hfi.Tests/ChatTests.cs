using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Hfi.Json;
using Xunit;
using static Hfi.Tests.Emulator;

namespace Hfi.Tests
{
    public class ChatTests
    {
        private static Emulator Emu => Instance;

        [Fact]
        public async Task ChatAsyncReturnsTheWholeCompletion()
        {
            using HfiClient client = Emu.Client();
            ChatResponse r = await client.ChatAsync(Ask("ping"));
            Assert.Equal("Hello! You said: ping", r.Content);
            Assert.Equal("stop", r.FinishReason);
            Assert.Equal(1, r.Attempts);
            Assert.Equal(200, r.HttpStatus);
            Assert.NotNull(r.Usage);
            Assert.True(r.Usage!.PromptTokens > 0);
            Assert.Equal(r.Usage.PromptTokens + r.Usage.CompletionTokens, r.Usage.TotalTokens);
            JsonValue doc = JsonValue.Parse(r.Json);
            Assert.Equal("chat.completion", doc["object"].AsString());
            Assert.Equal(r.Content, doc["choices"][0]["message"]["content"].AsString());
            Assert.True(r.Total >= r.FirstByte);
        }

        [Fact]
        public void BlockingChatReturnsTheSameAnswer()
        {
            using HfiClient client = Emu.Client();
            Assert.Equal("Hello! You said: sync", client.Chat(Ask("sync")).Content);
        }

        [Fact]
        public async Task TheRequestBodyCarriesEveryMember()
        {
            using var client = Emu.RouteClient("members", out string path);
            var request = new ChatRequest("m", ChatMessage.System("be brief"), ChatMessage.User("look", "data:image/png;base64,AAAA"))
            {
                MaxTokens = 12,
                Temperature = 0.5,
                Seed = 7,
                ToolChoiceJson = "\"auto\"",
            };
            request.Stop.Add("END");
            request.Extra["top_k"] = "7";
            await client.ChatAsync(request);
            JsonValue body = JsonValue.Parse(Emu.BodiesTo(path).Last());
            Assert.Equal(12, body["max_tokens"].AsLong());
            Assert.Equal(0.5, body["temperature"].AsDouble());
            Assert.Equal(7, body["top_k"].AsLong());
            Assert.Equal("END", body["stop"][0].AsString());
            Assert.Equal("auto", body["tool_choice"].AsString());
            Assert.Equal("system", body["messages"][0]["role"].AsString());
            Assert.Equal("image_url", body["messages"][1]["content"][1]["type"].AsString());
            Assert.Equal("data:image/png;base64,AAAA", body["messages"][1]["content"][1]["image_url"]["url"].AsString());
        }

        [Fact]
        public void AStreamEnumeratesEveryDeltaThenHasTheResponse()
        {
            using HfiClient client = Emu.Client();
            string prompt = Words(40);
            using ChatStream stream = client.StreamChat(Ask(prompt));
            var text = new StringBuilder();
            int deltas = 0;
            bool finished = false;
            foreach (ChatDelta d in stream)
            {
                if (d.Kind == ChatDeltaKind.Content)
                {
                    deltas++;
                    text.Append(d.Text);
                }
                if (d.Kind == ChatDeltaKind.Finish)
                    finished = d.Text == "stop";
            }
            string want = "Hello! You said: " + prompt;
            Assert.Equal(want, text.ToString());
            Assert.True(deltas >= 40 && finished);
            Assert.True(stream.IsCompleted);
            Assert.Equal(want, stream.Response!.Content);
            Assert.Equal(want, stream.Text);
            Assert.False(stream.TryRead(out _));
        }

        [Fact]
        public async Task AwaitForeachStreamsWithoutBlocking()
        {
            using HfiClient client = Emu.Client();
            string prompt = Words(25);
            var text = new StringBuilder();
            await foreach (ChatDelta d in client.StreamChatAsync(Ask(prompt)))
            {
                if (d.Kind == ChatDeltaKind.Content)
                    text.Append(d.Text);
            }
            Assert.Equal("Hello! You said: " + prompt, text.ToString());
        }

        [Fact]
        public async Task BreakingOutOfAwaitForeachCancelsTheRequest()
        {
            using var client = Emu.RouteClient("break_out", out _, "{\"default_sse\": true, \"chunk_delay_ms\": 50}");
            var started = DateTime.UtcNow;
            int seen = 0;
            await foreach (ChatDelta d in client.StreamChatAsync(Ask(Words(200))))
            {
                if (++seen == 2)
                    break;
            }
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        }

        [Fact]
        public void ASlowReaderGetsEveryEvent()
        {
            using HfiClient client = Emu.Client();
            string prompt = Words(6000);
            using ChatStream stream = client.StreamChat(Ask(prompt));
            ChatDelta? first = stream.Read(TimeSpan.FromSeconds(30));
            Assert.NotNull(first);
            System.Threading.Thread.Sleep(300);
            string text = (first!.Kind == ChatDeltaKind.Content ? first.Text : "") + string.Concat(stream.Where(d => d.Kind == ChatDeltaKind.Content).Select(d => d.Text));
            Assert.Equal("Hello! You said: " + prompt, text);
        }

        [Fact]
        public async Task HttpErrorsCarryTheirDetail()
        {
            using var client = Emu.RouteClient("http_errors", out _, "{\"status\": 429, \"headers\": {\"Retry-After\": \"7\"}, \"body\": \"{\\\"error\\\":{\\\"message\\\":\\\"slow down\\\",\\\"type\\\":\\\"rate_limit\\\"}}\"}");
            HfiException e = await Assert.ThrowsAsync<HfiException>(() => client.ChatAsync(Ask("x"), new CallOptions { MaxRetries = 0 }));
            Assert.Equal(HfiStatus.RateLimited, e.Status);
            Assert.Equal(429, e.HttpStatus);
            Assert.Equal("slow down", e.Detail);
            Assert.Equal("rate_limit", e.ErrorType);
            Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
            Assert.Contains("slow down", e.Body);
            Assert.True(e.IsTransient);
            Assert.Equal("hfi: rate limited (HTTP 429): slow down", e.Message);
        }

        [Fact]
        public void AnAuthFailureEndsAStreamWithItsError()
        {
            using var client = Emu.RouteClient("auth_stream", out _, "{\"status\": 401, \"body\": \"{\\\"error\\\":\\\"Invalid credentials in Authorization header\\\"}\"}");
            using ChatStream stream = client.StreamChat(Ask("x"));
            HfiException e = Assert.Throws<HfiException>(() => stream.ToList());
            Assert.Equal(HfiStatus.Auth, e.Status);
            Assert.Equal(401, e.HttpStatus);
            Assert.Equal("Invalid credentials in Authorization header", e.Detail);
            Assert.False(e.IsTransient);
            Assert.Throws<HfiException>(() => stream.TryRead(out _)); // the error stays
        }

        [Fact]
        public void ACutStreamIsTruncatedAndKeepsThePiecesBeforeIt()
        {
            using var client = Emu.RouteClient("cut_stream", out _, "{\"default_sse\": true, \"drop_after\": 4}");
            using ChatStream stream = client.StreamChat(Ask(Words(30)));
            var pieces = new List<ChatDelta>();
            HfiException e = Assert.Throws<HfiException>(() =>
            {
                foreach (ChatDelta d in stream)
                    pieces.Add(d);
            });
            Assert.Equal(HfiStatus.StreamTruncated, e.Status);
            Assert.NotEmpty(pieces);
            Assert.NotEmpty(stream.Text);
        }

        [Fact]
        public async Task TheNetworkDownIsAConnectError()
        {
            using var client = new HfiClient(new HfiClientOptions { BaseUrl = "http://127.0.0.1:9/v1", MaxRetries = 0, TokenFromEnvironment = false });
            HfiException e = await Assert.ThrowsAsync<HfiException>(() => client.ChatAsync(Ask("x")));
            Assert.True(e.Status == HfiStatus.Connect || e.Status == HfiStatus.Network, e.Status.ToString());
            Assert.Equal(0, e.HttpStatus);
        }

        [Fact]
        public async Task ToolCallsArriveWholeAndInPieces()
        {
            using var client = Emu.RouteClient("tools", out _);
            var request = new ChatRequest("m", "weather in Paris?")
            {
                ToolsJson = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]",
                ToolChoiceJson = "\"required\"",
            };
            ChatResponse r = await client.ChatAsync(request);
            Assert.Equal("tool_calls", r.FinishReason);
            Assert.Single(r.ToolCalls);
            Assert.Equal("get_weather", r.ToolCalls[0].Name);
            Assert.False(string.IsNullOrEmpty(r.ToolCalls[0].Id));
            JsonValue.Parse(r.ToolCalls[0].Arguments);
            using ChatStream stream = client.StreamChat(request);
            var pieces = stream.Where(d => d.Kind == ChatDeltaKind.ToolCall).Select(d => d.ToolCall!).ToList();
            Assert.NotEmpty(pieces);
            Assert.Equal("get_weather", pieces.First(p => p.Name.Length > 0).Name);
            Assert.Equal(r.ToolCalls[0].Arguments, string.Concat(pieces.Select(p => p.Arguments)));
        }
    }
}
