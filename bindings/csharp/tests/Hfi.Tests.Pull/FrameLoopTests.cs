using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using static Hfi.Tests.Emulator;

namespace Hfi.Tests.Pull
{
    /// <summary>
    /// The netstandard2.1 assembly, used as a Unity game uses it: a Dispatch.Manual client,
    /// Poll() once per frame on one thread, streams read with TryRead, tasks checked for
    /// completion. Nothing here blocks a frame for the network.
    /// </summary>
    public class FrameLoopTests
    {
        private static Emulator Emu => Instance;

        /// <summary>Runs frames (Poll, then <paramref name="frame"/>) until it returns true.</summary>
        private static int RunFrames(HfiClient client, Func<bool> frame, int maxFrames = 3000)
        {
            for (int i = 1; i <= maxFrames; i++)
            {
                client.Poll();
                if (frame())
                    return i;
                Thread.Sleep(2); // the rest of the frame
            }
            throw new TimeoutException("not done after " + maxFrames + " frames");
        }

        [Fact]
        public void TheLoadedAssemblyIsTheNetStandardBuild()
        {
            string framework = typeof(HfiClient).Assembly
                .GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
                .Cast<System.Runtime.Versioning.TargetFrameworkAttribute>().Single().FrameworkName;
            Assert.Equal(".NETStandard,Version=v2.1", framework);
            Assert.Equal(HfiClient.BindingVersion, HfiClient.NativeVersion);
        }

        [Fact]
        public async Task AChatCompletesDuringPoll()
        {
            using HfiClient client = Emu.Client(Dispatch.Manual);
            Assert.Equal(Dispatch.Manual, client.Dispatch);
            Task<ChatResponse> answer = client.ChatAsync(Ask("frame"));
            RunFrames(client, () => answer.IsCompleted);
            Assert.Equal("Hello! You said: frame", (await answer).Content); // complete already: frames delivered it
        }

        [Fact]
        public async Task NothingCompletesWithoutPoll()
        {
            using HfiClient client = Emu.Client(Dispatch.Manual);
            Task<ChatResponse> answer = client.ChatAsync(Ask("waiting"));
            Thread.Sleep(300);
            Assert.False(answer.IsCompleted, "events reached .NET without Poll()");
            RunFrames(client, () => answer.IsCompleted);
            Assert.Equal("Hello! You said: waiting", (await answer).Content);
        }

        [Fact]
        public void StreamsAreReadPieceByPieceInFrames()
        {
            using HfiClient client = Emu.Client(Dispatch.Manual);
            var prompts = Enumerable.Range(0, 8).Select(i => "stream " + i + " " + Words(30)).ToArray();
            var streams = prompts.Select(p => client.StreamChat(Ask(p))).ToArray();
            var texts = prompts.Select(_ => new StringBuilder()).ToArray();
            int frames = RunFrames(client, () =>
            {
                for (int i = 0; i < streams.Length; i++)
                {
                    while (streams[i].TryRead(out ChatDelta? d))
                    {
                        if (d!.Kind == ChatDeltaKind.Content)
                            texts[i].Append(d.Text);
                    }
                }
                return streams.All(s => s.IsCompleted);
            });
            for (int i = 0; i < streams.Length; i++)
            {
                Assert.Equal("Hello! You said: " + prompts[i], texts[i].ToString());
                Assert.Equal(texts[i].ToString(), streams[i].Response!.Content);
                streams[i].Dispose();
            }
            Assert.True(frames > 1);
        }

        [Fact]
        public async Task ATaskAndItsProgressArriveOnThePollingThread()
        {
            using HfiClient client = Emu.Client(Dispatch.Manual);
            int pollingThread = Environment.CurrentManagedThreadId;
            var threads = new List<int>();
            var o = new CallOptions { PollInterval = TimeSpan.FromMilliseconds(10), Progress = new Inline(_ => threads.Add(Environment.CurrentManagedThreadId)) };
            o.Providers.Add("fal-ai");
            Task<Media> video = client.TextToVideoAsync("emu/text-to-video", "a fox", null, o);
            RunFrames(client, () => video.IsCompleted);
            Assert.NotEmpty((await video).Bytes);
            Assert.NotEmpty(threads);
            Assert.All(threads, t => Assert.Equal(pollingThread, t));
        }

        [Fact]
        public void AFailedStreamThrowsFromTryReadAfterItsPieces()
        {
            using var client = Emu.RouteClient("pull_cut", out _, "{\"default_sse\": true, \"drop_after\": 4}", dispatch: Dispatch.Manual);
            using ChatStream stream = client.StreamChat(Ask(Words(30)));
            int pieces = 0;
            HfiException? error = null;
            RunFrames(client, () =>
            {
                try
                {
                    while (stream.TryRead(out _))
                        pieces++;
                }
                catch (HfiException e)
                {
                    error = e;
                }
                return error != null;
            });
            Assert.Equal(HfiStatus.StreamTruncated, error!.Status);
            Assert.True(pieces > 0);
        }

        [Fact]
        public void CancellingFromAnotherThreadEndsTheRequestAtTheNextPoll()
        {
            using var client = Emu.RouteClient("pull_cancel", out _, "{\"delay_ms\": 10000}", dispatch: Dispatch.Manual);
            using var cts = new CancellationTokenSource();
            Task<ChatResponse> answer = client.ChatAsync(Ask("slow"), cts.Token);
            ThreadPool.QueueUserWorkItem(_ => { Thread.Sleep(100); cts.Cancel(); });
            var clock = Stopwatch.StartNew();
            RunFrames(client, () => answer.IsCompleted);
            Assert.True(answer.IsCanceled);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        }

        [Fact]
        public void BlockingCallsOnAManualClientPollForThemselves()
        {
            using HfiClient client = Emu.Client(Dispatch.Manual);
            Assert.Equal("Hello! You said: blocking", client.Chat(Ask("blocking")).Content);
            using ChatStream stream = client.StreamChat(Ask("enumerated"));
            Assert.Equal("Hello! You said: enumerated", string.Concat(stream.Where(d => d.Kind == ChatDeltaKind.Content).Select(d => d.Text)));
        }

        [Fact]
        public void DisposingAManualClientWhileRequestsRunEndsThem()
        {
            var client = Emu.RouteClient("pull_dispose", out _, "{\"default_sse\": true, \"chunk_delay_ms\": 20, \"repeat\": 8}", dispatch: Dispatch.Manual);
            var streams = Enumerable.Range(0, 4).Select(_ => client.StreamChat(Ask(Words(100)))).ToArray();
            var chats = Enumerable.Range(0, 4).Select(_ => client.ChatAsync(Ask(Words(100)))).ToArray();
            RunFrames(client, () => streams.All(s => s.TryRead(out _)));
            client.Dispose();
            foreach (ChatStream s in streams)
            {
                Exception e = Assert.ThrowsAny<Exception>(() => { while (s.TryRead(out _)) { } });
                Assert.True(e is ObjectDisposedException || (e is HfiException h && h.Status == HfiStatus.Cancelled), e.ToString());
                Assert.True(s.IsCompleted);
            }
            foreach (Task<ChatResponse> chat in chats)
            {
                Assert.True(chat.IsCompleted);
                Assert.True(chat.IsFaulted);
            }
            Assert.Throws<ObjectDisposedException>(() => client.Poll());
        }

        [Fact]
        public async Task DisposingFromAProgressCallbackDuringPollIsRefused()
        {
            HfiClient client = Emu.Client(Dispatch.Manual);
            var o = new CallOptions { PollInterval = TimeSpan.FromMilliseconds(10), Progress = new Inline(_ => client.Dispose()) };
            o.Providers.Add("fal-ai");
            Task<Media> video = client.TextToVideoAsync("emu/text-to-video", "a fox", null, o);
            RunFrames(client, () => video.IsCompleted);
            await Assert.ThrowsAsync<InvalidOperationException>(() => video);
            Task<ChatResponse> answer = client.ChatAsync(Ask("still open"));
            RunFrames(client, () => answer.IsCompleted);
            Assert.Equal("Hello! You said: still open", (await answer).Content);
            client.Dispose();
            Assert.Throws<ObjectDisposedException>(() => client.Poll());
        }

        private sealed class Inline : IProgress<TaskProgress>
        {
            private readonly Action<TaskProgress> report;

            public Inline(Action<TaskProgress> report) => this.report = report;

            public void Report(TaskProgress value) => report(value);
        }
    }
}
