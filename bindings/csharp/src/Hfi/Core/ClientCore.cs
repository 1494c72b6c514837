using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using Hfi.Native;

namespace Hfi.Core
{
    /// <summary>
    /// The native client and the delivery of its requests' events: by a background thread that
    /// runs <c>hfi_client_poll</c> (requests with a callback), or by <see cref="Poll"/> draining
    /// the pull queue on the caller's thread (requests without one: no reverse P/Invoke).
    /// </summary>
    internal sealed unsafe class ClientCore
    {
        private static readonly TimeSpan DrainOnClose = TimeSpan.FromSeconds(5);

        // Every pending operation of the background clients, by the id the native request carries
        // as its user data: a callback gets nothing else. (It keeps them, and so their clients,
        // reachable while they run. Manual clients route pulled events through their own table,
        // so that a dropped client and its requests are collected and freed in any order.)
        private static readonly ConcurrentDictionary<long, Operation> Registry = new ConcurrentDictionary<long, Operation>();

        // Kept in a static field so that the GC never collects the delegate native code calls.
        private static readonly NativeMethods.hfi_event_cb EventCallback = OnNativeEvent;
        private static readonly IntPtr EventCallbackPointer = Marshal.GetFunctionPointerForDelegate(EventCallback);

        private readonly ClientHandle handle;
        private readonly LogSink? logSink;
        private readonly ConcurrentDictionary<long, Operation> pending = new ConcurrentDictionary<long, Operation>();
        private readonly ConcurrentQueue<Operation> finished = new ConcurrentQueue<Operation>();
        private readonly List<Operation> touched = new List<Operation>(); // the dispatch thread's
        private readonly object gate = new object();   // calls into the client vs. freeing it
        private readonly object pollGate = new object();
        private int activeCalls;
        private bool closed;
        private volatile Thread? pump;
        private volatile bool stopPump;
        private volatile Thread? pollingThread; // inside Poll() delivering events

        internal ClientCore(ClientHandle handle, Dispatch dispatch, LogSink? logSink)
        {
            this.handle = handle;
            this.logSink = logSink;
            Dispatch = dispatch;
        }

        internal Dispatch Dispatch { get; }

        /// <summary>Runs <paramref name="call"/> with the live native client, which is not freed meanwhile.</summary>
        internal T With<T>(Func<IntPtr, T> call)
        {
            Enter();
            try
            {
                return call(handle.DangerousGetHandle());
            }
            finally
            {
                Leave();
            }
        }

        private void Enter()
        {
            lock (gate)
            {
                if (closed)
                    throw new ObjectDisposedException(nameof(HfiClient), "the client was disposed");
                activeCalls++;
            }
        }

        private void Leave()
        {
            lock (gate)
            {
                if (--activeCalls == 0)
                    Monitor.PulseAll(gate);
            }
        }

        internal delegate int StartFunction(IntPtr client, IntPtr options, IntPtr* request);

        /// <summary>Starts <paramref name="op"/> with <paramref name="start"/> and the call's options.</summary>
        internal void Start(Operation op, CallOptions? call, StartFunction start)
        {
            using RequestOptionsHandle options = RequestOptionsBuilder.Build(call);
            IntPtr o = options.DangerousGetHandle();
            if (Dispatch == Dispatch.Background)
                HfiException.Check(NativeMethods.hfi_request_options_set_callback(o, EventCallbackPointer, (IntPtr)op.Id, IntPtr.Zero));
            else
                HfiException.Check(NativeMethods.hfi_request_options_set_user_data(o, (IntPtr)op.Id, IntPtr.Zero));
            if (op.Cancellation.IsCancellationRequested)
            {
                // Cancelled before it started: it ends as cancelled, and nothing is sent.
                op.Abandon(new OperationCanceledException(op.Cancellation));
                return;
            }
            Enter();
            try
            {
                // Registered before it starts, so that its first event finds it; started and
                // registered inside Enter/Leave, so that Close() sees it whole and cancels it.
                if (Dispatch == Dispatch.Background)
                    Registry[op.Id] = op;
                pending[op.Id] = op;
                IntPtr request = IntPtr.Zero;
                int status = start(handle.DangerousGetHandle(), o, &request);
                if (status < 0)
                {
                    Exception error = HfiException.FromLastError(status);
                    Forget(op);
                    throw error;
                }
                if (Dispatch == Dispatch.Background)
                    EnsurePump();
                op.Started(new RequestHandle(request));
            }
            finally
            {
                Leave();
            }
        }

        private void Forget(Operation op)
        {
            Registry.TryRemove(op.Id, out _);
            pending.TryRemove(op.Id, out _);
        }

        /// <summary>An operation was started and its final event delivered: it can end.</summary>
        internal void ReadyToFinish(Operation op, bool onDispatchThread)
        {
            finished.Enqueue(op);
            // The starting thread came second: the dispatcher ends it, woken if it sleeps.
            if (!onDispatchThread && Dispatch == Dispatch.Background)
                Wakeup();
        }

        /// <summary>An operation got events in the batch being delivered (dispatch thread).</summary>
        internal void Touched(Operation op) => touched.Add(op);

        /// <summary>After a batch of events: wakes the readers of the operations that got some
        /// (once per batch, not per event), then ends the operations whose final event came.</summary>
        private void FinishReady()
        {
            foreach (Operation op in touched)
                op.Flush();
            touched.Clear();
            while (finished.TryDequeue(out Operation? op))
            {
                Forget(op);
                op.Finish();
            }
        }

        private void Wakeup()
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                NativeMethods.hfi_client_wakeup(handle.DangerousGetHandle());
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                if (added)
                    handle.DangerousRelease();
            }
        }

        // ---- background dispatch ------------------------------------------------------------

        private void EnsurePump()
        {
            if (pump != null)
                return;
            lock (pollGate)
            {
                if (pump != null)
                    return;
                // Known before it runs: its first callback may come at once, and Close() must
                // recognise a call from it.
                pump = new Thread(PumpLoop) { IsBackground = true, Name = "hfi dispatch" };
                pump.Start();
            }
        }

        private void PumpLoop()
        {
            IntPtr client = handle.DangerousGetHandle();
            while (!stopPump)
            {
                NativeMethods.hfi_client_poll(client, -1, null);
                FinishReady();
            }
        }

        [AOT.MonoPInvokeCallback(typeof(NativeMethods.hfi_event_cb))]
        private static int OnNativeEvent(IntPtr ev, IntPtr userData)
        {
            try
            {
                if (!Registry.TryGetValue((long)userData, out Operation? op) || op.Deliver(ev))
                    return 0;
                op.AbortedByCallback();
                return 1;
            }
            catch
            {
                return 1; // nothing may unwind into native code
            }
        }

        // ---- manual dispatch (the pull queue) -----------------------------------------------

        /// <summary>Delivers every event that arrived, on this thread; never blocks for the network.</summary>
        internal int Poll()
        {
            if (Dispatch != Dispatch.Manual)
                throw new InvalidOperationException("Poll() is for clients made with Dispatch.Manual; a Dispatch.Background client delivers events by itself");
            lock (pollGate)
            {
                int delivered;
                Enter();
                pollingThread = Thread.CurrentThread;
                try
                {
                    delivered = DrainPullQueue();
                }
                finally
                {
                    pollingThread = null;
                    Leave();
                }
                FinishReady();
                return delivered;
            }
        }

        /// <summary>Delivers every pulled event there is (under <c>pollGate</c>); returns how many.</summary>
        private int DrainPullQueue()
        {
            IntPtr client = handle.DangerousGetHandle();
            int delivered = 0;
            IntPtr ev;
            while (NativeMethods.hfi_client_next_event(client, &ev) == 0)
            {
                try
                {
                    Route(ev);
                }
                finally
                {
                    NativeMethods.hfi_event_free(ev);
                }
                delivered++;
            }
            return delivered;
        }

        private void Route(IntPtr ev)
        {
            IntPtr request = NativeMethods.hfi_event_request(ev);
            long id = (long)NativeMethods.hfi_request_user_data(request);
            if (pending.TryGetValue(id, out Operation? op) && !op.Deliver(ev))
                op.Cancel(); // a pulled event has no callback to abort through
        }

        /// <summary>Blocks until <paramref name="task"/> ends and returns its result; on a manual
        /// client it delivers events meanwhile, as nobody else may.</summary>
        internal T Block<T>(System.Threading.Tasks.Task<T> task)
        {
            if (Dispatch == Dispatch.Manual)
            {
                while (!task.IsCompleted)
                {
                    Poll();
                    ((IAsyncResult)task).AsyncWaitHandle.WaitOne(1);
                }
            }
            return task.GetAwaiter().GetResult();
        }

        // ---- closing ------------------------------------------------------------------------

        /// <summary>Closing waits for the delivery of events, which must not be under way on this thread.</summary>
        internal void ThrowIfDeliveringHere()
        {
            Thread? thread = pump;
            if ((thread != null && thread == Thread.CurrentThread) || pollingThread == Thread.CurrentThread)
                throw new InvalidOperationException("an HfiClient cannot be disposed while it delivers events on this thread (from a progress callback)");
        }

        /// <summary>Cancels what runs, delivers its ends (up to a few seconds), frees the client.</summary>
        internal void Close()
        {
            ThrowIfDeliveringHere();
            lock (gate)
            {
                if (closed)
                    return;
                closed = true;
                while (activeCalls > 0)
                    Monitor.Wait(gate);
            }
            foreach (Operation op in pending.Values)
                op.Cancel();
            Thread? thread = pump;
            DateTime deadline = DateTime.UtcNow + DrainOnClose;
            if (Dispatch == Dispatch.Manual)
            {
                lock (pollGate)
                {
                    while (!pending.IsEmpty && DateTime.UtcNow < deadline)
                    {
                        bool any = DrainPullQueue() > 0;
                        FinishReady();
                        if (!any)
                            Thread.Sleep(1);
                    }
                }
            }
            else if (thread != null)
            {
                while (!pending.IsEmpty && DateTime.UtcNow < deadline)
                    Thread.Sleep(1);
                stopPump = true;
                Wakeup();
                thread.Join();
            }
            handle.Dispose();
            logSink?.Unregister();
            var reason = new ObjectDisposedException(nameof(HfiClient), "the client was disposed while the request ran");
            foreach (Operation op in pending.Values)
            {
                Forget(op);
                op.Request?.Dispose();
                op.Abandon(reason);
            }
        }

        /// <summary>From the client's finalizer: nothing awaits a request any more (a pending
        /// one keeps the client reachable), so only the background thread has to go.</summary>
        internal void Collected()
        {
            stopPump = true;
            if (pump != null)
                Wakeup();
            logSink?.Unregister();
        }
    }
}
