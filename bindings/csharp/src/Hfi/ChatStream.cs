using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Hfi.Core;
using Hfi.Native;

namespace Hfi
{
    /// <summary>
    /// A streamed chat completion, read as it arrives. Read it without blocking with
    /// <see cref="TryRead"/> (a game's frame loop), enumerate it (blocking), or, on .NET 8 and
    /// later, with <c>await foreach</c> over <c>ReadAllAsync</c>. A failed request throws its <see cref="HfiException"/>
    /// after the pieces that arrived before the failure. Disposing it cancels the request.
    /// </summary>
    /// <remarks>Read a stream from one thread at a time; <see cref="Cancel"/> works from any thread.</remarks>
    public sealed class ChatStream : IEnumerable<ChatDelta>, IDisposable
    {
        private readonly StreamOperation op;
        private bool disposed;

        internal ChatStream(ClientCore core, object owner, CancellationToken cancellation)
        {
            op = new StreamOperation(core, owner, cancellation);
        }

        internal Operation Operation => op;

        /// <summary>True once every piece was read and the request ended (successfully or not).</summary>
        public bool IsCompleted
        {
            get
            {
                lock (op.Gate)
                    return op.Ended && op.Queue.Count == 0;
            }
        }

        /// <summary>The answer's text read so far.</summary>
        public string Text
        {
            get
            {
                lock (op.Gate)
                    return op.Text.ToString();
            }
        }

        /// <summary>The whole response once the request succeeded and every piece was read; null before.</summary>
        public ChatResponse? Response
        {
            get
            {
                lock (op.Gate)
                    return op.Queue.Count == 0 ? op.Response : null;
            }
        }

        /// <summary>
        /// Takes the next piece if one arrived; never blocks. False when none is there now, or
        /// none will come (see <see cref="IsCompleted"/>). On a <see cref="Dispatch.Manual"/>
        /// client, pieces arrive during <see cref="HfiClient.Poll"/>.
        /// </summary>
        /// <exception cref="HfiException">The request failed (after every piece before the failure was read).</exception>
        /// <exception cref="OperationCanceledException">Its cancellation token was cancelled.</exception>
        /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
        public bool TryRead([NotNullWhen(true)] out ChatDelta? delta)
        {
            ThrowIfDisposed();
            lock (op.Gate)
            {
                if (op.Queue.Count > 0)
                {
                    delta = op.Queue.Dequeue();
                    if (op.Queue.Count == 0 && !op.Ended)
                        op.ClearNews();
                    return true;
                }
                delta = null;
                if (op.Ended && op.Error != null)
                    throw op.Error;
                return false;
            }
        }

        /// <summary>Waits up to <paramref name="timeout"/> for the next piece; null when the stream
        /// ended (or on time-out: then <see cref="IsCompleted"/> is false).</summary>
        public ChatDelta? Read(TimeSpan timeout)
        {
            DateTime deadline = timeout == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + timeout;
            while (true)
            {
                if (TryRead(out ChatDelta? delta))
                    return delta;
                if (IsCompleted)
                    return null;
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    return null;
                if (op.Core.Dispatch == Dispatch.Manual)
                {
                    // Nothing arrives until someone polls: this reader does, a millisecond apart.
                    op.Core.Poll();
                    left = TimeSpan.FromMilliseconds(1);
                }
                else
                {
                    // Pieces of a stream come microseconds apart: a short spin catches most of
                    // them without the two context switches of sleeping and being woken.
                    var spin = new SpinWait();
                    for (int i = 0; i < 40 && !op.HasNews; i++)
#if NET8_0_OR_GREATER
                        spin.SpinOnce(-1); // yields, never sleeps
#else
                        spin.SpinOnce();
#endif
                }
                lock (op.Gate)
                {
                    if (op.Queue.Count == 0 && !op.Ended)
                    {
                        op.Waiting++;
                        Monitor.Wait(op.Gate, left < TimeSpan.FromMinutes(1) ? left : TimeSpan.FromMinutes(1));
                        op.Waiting--;
                    }
                }
            }
        }

        /// <summary>Cancels the request (any thread); the stream then ends with an <see cref="OperationCanceledException"/> or a cancelled <see cref="HfiException"/>.</summary>
        public void Cancel() => op.Cancel();

        /// <summary>Cancels the request if it runs and releases the stream. Later reads throw <see cref="ObjectDisposedException"/>.</summary>
        public void Dispose()
        {
            if (disposed)
                return;
            disposed = true;
            lock (op.Gate)
            {
                if (op.Ended)
                    return;
            }
            op.Cancel();
        }

        /// <summary>Enumerates the pieces, blocking until each arrives.</summary>
        public IEnumerator<ChatDelta> GetEnumerator()
        {
            while (true)
            {
                ChatDelta? delta = Read(Timeout.InfiniteTimeSpan);
                if (delta == null)
                    yield break;
                yield return delta;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

#if NET8_0_OR_GREATER
        /// <summary>The pieces as an async sequence, read without blocking a thread. (The stream
        /// itself is not an <c>IAsyncEnumerable</c>, so that LINQ on it stays unambiguous.)</summary>
        public async IAsyncEnumerable<ChatDelta> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            if (op.Core.Dispatch == Dispatch.Manual)
                throw new InvalidOperationException("await foreach needs a Dispatch.Background client: a Dispatch.Manual client's pieces arrive during Poll(); read them with TryRead");
            using CancellationTokenRegistration stop = cancellationToken.Register(state => ((ChatStream)state!).Cancel(), this);
            while (true)
            {
                Task news;
                lock (op.Gate)
                {
                    if (op.Queue.Count == 0 && !op.Ended)
                        news = op.NextNews();
                    else
                        news = Task.CompletedTask;
                }
                await news.ConfigureAwait(false);
                if (TryRead(out ChatDelta? delta))
                    yield return delta!;
                else if (IsCompleted)
                    yield break;
            }
        }
#endif

        private void ThrowIfDisposed()
        {
            if (disposed)
                throw new ObjectDisposedException(nameof(ChatStream), "the stream was disposed");
        }

        /// <summary>The request: its events fill the queue on the dispatch thread.</summary>
        private sealed class StreamOperation : Operation
        {
            internal readonly object Gate = new object();
            internal readonly Queue<ChatDelta> Queue = new Queue<ChatDelta>();
            internal readonly StringBuilder Text = new StringBuilder();
            private TaskCompletionSource<bool>? waiter;

            internal StreamOperation(ClientCore core, object owner, CancellationToken cancellation)
                : base(core, owner, cancellation)
            {
            }

            internal bool Ended { get; private set; }
            internal Exception? Error { get; private set; }
            internal ChatResponse? Response { get; private set; }

            /// <summary>A piece or the end is there (read without the lock: a hint for spinning).</summary>
            internal bool HasNews => Volatile.Read(ref news);

            private bool news;

            /// <summary>Readers blocked in Monitor.Wait on <see cref="Gate"/>.</summary>
            internal int Waiting;

            /// <summary>A task completed by the next piece or the end (under <see cref="Gate"/>).</summary>
            internal Task NextNews()
            {
                waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                return waiter.Task;
            }

            internal override void OnEvent(IntPtr ev, int type)
            {
                ChatDelta? delta = ResponseReader.Delta(ev, type);
                if (delta == null)
                    return;
                lock (Gate)
                {
                    Queue.Enqueue(delta);
                    if (delta.Kind == ChatDeltaKind.Content)
                        Text.Append(delta.Text);
                }
            }

            internal override void Flush()
            {
                base.Flush();
                lock (Gate)
                    Wake();
            }

            protected override void Complete(int status, IntPtr response)
            {
                ChatResponse? chat = status == 0 ? ResponseReader.Chat(response) : null;
                Exception? error = status == 0 ? null : Failure(status, response);
                End(chat, error);
            }

            internal override void Abandon(Exception reason) => End(null, reason);

            private void End(ChatResponse? chat, Exception? error)
            {
                lock (Gate)
                {
                    Response = chat;
                    Error = error;
                    Ended = true;
                    Wake();
                }
            }

            /// <summary>Under <see cref="Gate"/>, once the queue is empty and the stream goes on.</summary>
            internal void ClearNews() => Volatile.Write(ref news, false);

            private void Wake()
            {
                Volatile.Write(ref news, true);
                if (Waiting > 0)
                    Monitor.PulseAll(Gate);
                TaskCompletionSource<bool>? w = waiter;
                waiter = null;
                w?.TrySetResult(true);
            }
        }
    }
}
