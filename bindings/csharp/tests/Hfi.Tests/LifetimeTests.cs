using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using static Hfi.Tests.Emulator;

namespace Hfi.Tests
{
    /// <summary>Cancellation, disposal while requests run, and the garbage collector.</summary>
    public class LifetimeTests
    {
        private static Emulator Emu => Instance;

        private static HfiClient SlowClient(string name, string step)
        {
            return Emu.RouteClient(name, out _, step);
        }

        [Fact]
        public async Task ATokenCancelledBeforeTheCallSendsNothing()
        {
            using var client = Emu.RouteClient("cancelled_before", out string path);
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            Task<ChatResponse> chat = client.ChatAsync(Ask("never"), cts.Token);
            Assert.True(chat.IsCanceled, "a cancelled task, as .NET APIs return for a cancelled token");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => chat);
            using ChatStream stream = client.StreamChat(Ask("never"), null, cts.Token);
            Assert.True(stream.IsCompleted);
            Assert.ThrowsAny<OperationCanceledException>(() => stream.TryRead(out _));
            Assert.Empty(Emu.BodiesTo(path));
        }

        [Fact]
        public async Task ATokenCancelsACallWaitingForItsFirstByte()
        {
            using HfiClient client = SlowClient("cancel_first_byte", "{\"delay_ms\": 10000}");
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
            var started = DateTime.UtcNow;
            OperationCanceledException e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ChatAsync(Ask("slow"), cts.Token));
            Assert.Equal(cts.Token, e.CancellationToken);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), (DateTime.UtcNow - started).ToString());
        }

        [Fact]
        public void ATokenCancelsAStreamMidway()
        {
            using HfiClient client = SlowClient("cancel_stream", "{\"default_sse\": true, \"chunk_delay_ms\": 30}");
            using var cts = new CancellationTokenSource();
            using ChatStream stream = client.StreamChat(Ask(Words(200)), null, cts.Token);
            int seen = 0;
            Assert.ThrowsAny<OperationCanceledException>(() =>
            {
                foreach (ChatDelta d in stream)
                {
                    if (++seen == 3)
                        cts.Cancel();
                }
            });
            Assert.True(seen >= 3 && seen < 200, seen.ToString());
            Assert.True(stream.IsCompleted);
        }

        [Fact]
        public void DisposingAStreamCancelsItAndLaterReadsFail()
        {
            using HfiClient client = SlowClient("dispose_stream", "{\"default_sse\": true, \"chunk_delay_ms\": 30}");
            ChatStream stream = client.StreamChat(Ask(Words(200)));
            Assert.NotNull(stream.Read(TimeSpan.FromSeconds(10)));
            stream.Dispose();
            stream.Dispose();
            Assert.Throws<ObjectDisposedException>(() => stream.TryRead(out _));
            Assert.Throws<ObjectDisposedException>(() => stream.Read(TimeSpan.Zero));
            Assert.Throws<ObjectDisposedException>(() => stream.ToList());
            // The client goes on serving.
            Assert.Equal("Hello! You said: after", client.Chat(Ask("after")).Content);
        }

        [Fact]
        public async Task DisposingTheClientWhileRequestsRunEndsThem()
        {
            HfiClient client = SlowClient("dispose_client", "{\"default_sse\": true, \"chunk_delay_ms\": 20, \"repeat\": 16}");
            var chats = Enumerable.Range(0, 8).Select(_ => client.ChatAsync(Ask(Words(100)))).ToList();
            var streams = Enumerable.Range(0, 8).Select(_ => client.StreamChat(Ask(Words(100)))).ToList();
            var readers = streams.Select(s => Task.Run(() => s.Count())).ToList();
            await Task.Delay(100);
            var started = DateTime.UtcNow;
            client.Dispose();
            client.Dispose();
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
            foreach (Task<ChatResponse> chat in chats)
            {
                Exception e = await Assert.ThrowsAnyAsync<Exception>(() => chat);
                Assert.True(e is ObjectDisposedException || (e is HfiException h && h.Status == HfiStatus.Cancelled), e.ToString());
            }
            foreach (Task<int> reader in readers)
            {
                Exception e = await Assert.ThrowsAnyAsync<Exception>(() => reader);
                Assert.True(e is ObjectDisposedException || (e is HfiException h && h.Status == HfiStatus.Cancelled), e.ToString());
            }
            Assert.Throws<ObjectDisposedException>(() => client.Chat(Ask("late")));
        }

        [Fact]
        public async Task RequestsOfAnUnreferencedClientCompleteThroughGarbageCollections()
        {
            List<Task<ChatResponse>> chats = StartAndDrop(out WeakReference clientRef);
            for (int i = 0; i < 5; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            ChatResponse[] answers = await Task.WhenAll(chats);
            Assert.All(answers, a => Assert.StartsWith("Hello! You said: gc", a.Content));
            // Nothing pending keeps it any more: the client and its thread go.
            for (int i = 0; i < 50 && clientRef.IsAlive; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                await Task.Delay(20);
            }
            Assert.False(clientRef.IsAlive, "the client was not collected once its requests had ended");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static List<Task<ChatResponse>> StartAndDrop(out WeakReference clientRef)
        {
            HfiClient client = SlowClient("gc_alive", "{\"delay_ms\": 200, \"repeat\": 8}");
            clientRef = new WeakReference(client);
            return Enumerable.Range(0, 8).Select(i => client.ChatAsync(Ask("gc " + i))).ToList();
        }

        [Fact]
        public void FinalizersFreeClientsRequestsAndStreamsInAnyOrder()
        {
            // Manual clients with requests in flight, nothing referencing them: the collector
            // finalizes client and request handles in whatever order it likes.
            for (int round = 0; round < 5; round++)
            {
                WeakReference[] refs = AbandonManualClients(4);
                for (int i = 0; i < 5; i++)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
                Assert.All(refs, r => Assert.False(r.IsAlive));
            }
            using HfiClient client = Emu.Client();
            Assert.Equal("Hello! You said: still fine", client.Chat(Ask("still fine")).Content);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static WeakReference[] AbandonManualClients(int n)
        {
            var refs = new List<WeakReference>();
            for (int i = 0; i < n; i++)
            {
                var client = Emu.Client(Dispatch.Manual);
                refs.Add(new WeakReference(client));
                _ = client.ChatAsync(Ask("abandoned"));
                ChatStream s = client.StreamChat(Ask(Words(50)));
                refs.Add(new WeakReference(s));
                client.Poll();
            }
            return refs.ToArray();
        }
    }
}
