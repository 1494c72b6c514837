using System;
using System.Threading;
using Hfi.Native;

namespace Hfi.Core
{
    /// <summary>
    /// One started request as .NET sees it. Its events are delivered on the client's dispatch
    /// thread (the background thread, or the thread calling <see cref="HfiClient.Poll"/>), and so
    /// is its end: <see cref="Finish"/> takes the response and frees the request there, the only
    /// thread that ever waits on or frees it.
    /// </summary>
    internal abstract class Operation
    {
        private static long lastId;
        private int readiness; // 1 for "started", 1 for "final event delivered": 2 means it can finish
        private CancellationTokenRegistration cancelRegistration;

        protected Operation(ClientCore core, object owner, CancellationToken cancellation)
        {
            Id = Interlocked.Increment(ref lastId);
            Core = core;
            Owner = owner;
            Cancellation = cancellation;
        }

        internal long Id { get; }
        internal ClientCore Core { get; }
        internal CancellationToken Cancellation { get; }
        internal RequestHandle? Request { get; private set; }

        /// <summary>The client object, kept reachable while the request runs, so that it is not
        /// finalized under a request someone still awaits.</summary>
        internal object Owner { get; }

        /// <summary>An exception thrown by the caller's code during delivery (a progress
        /// callback): the operation ends with it.</summary>
        protected Exception? CallerFailure { get; private set; }

        /// <summary>Delivers one event that is not the final one.</summary>
        internal abstract void OnEvent(IntPtr ev, int type);

        /// <summary>Set while the operation is in the dispatcher's list of this batch.</summary>
        internal bool InBatch;

        /// <summary>Makes the events delivered in this batch visible to waiting readers.</summary>
        internal virtual void Flush()
        {
            InBatch = false;
        }

        /// <summary>Ends the operation with the request's final status and response (borrowed).</summary>
        protected abstract void Complete(int status, IntPtr response);

        /// <summary>Ends the operation without a response: the client went away first.</summary>
        internal abstract void Abandon(Exception reason);

        internal void Started(RequestHandle request)
        {
            Request = request;
            if (Cancellation.CanBeCanceled)
                cancelRegistration = Cancellation.Register(state => ((Operation)state!).Cancel(), this);
            if (Interlocked.Increment(ref readiness) == 2)
                Core.ReadyToFinish(this, onDispatchThread: false);
        }

        /// <summary>Delivers an event on the dispatch thread; false asks hfi to abort the request.</summary>
        internal bool Deliver(IntPtr ev)
        {
            int type = NativeMethods.hfi_event_type(ev);
            if (type == EventType.Done || type == EventType.Error)
            {
                if (Interlocked.Increment(ref readiness) == 2)
                    Core.ReadyToFinish(this, onDispatchThread: true);
                return true;
            }
            if (CallerFailure != null)
                return false;
            try
            {
                OnEvent(ev, type);
                if (!InBatch)
                {
                    InBatch = true;
                    Core.Touched(this);
                }
                return true;
            }
            catch (Exception e)
            {
                CallerFailure = e;
                return false;
            }
        }

        /// <summary>The callback asked hfi to abort the request, which then calls it no more: no
        /// final event will come, so the operation ends now (on the dispatch thread).</summary>
        internal void AbortedByCallback()
        {
            if (Interlocked.Increment(ref readiness) == 2)
                Core.ReadyToFinish(this, onDispatchThread: true);
        }

        /// <summary>Cancels the request; any thread, any time (a freed request ignores it).</summary>
        internal void Cancel()
        {
            RequestHandle? request = Request;
            if (request == null)
                return;
            bool added = false;
            try
            {
                request.DangerousAddRef(ref added);
                NativeMethods.hfi_request_cancel(request.DangerousGetHandle());
            }
            catch (ObjectDisposedException)
            {
                // It ended and was freed meanwhile: nothing to cancel.
            }
            finally
            {
                if (added)
                    request.DangerousRelease();
            }
        }

        /// <summary>On the dispatch thread, once started and ended.</summary>
        internal unsafe void Finish()
        {
            cancelRegistration.Dispose();
            RequestHandle request = Request!;
            IntPtr response = IntPtr.Zero;
            try
            {
                int status = NativeMethods.hfi_request_wait(request.DangerousGetHandle(), 0, &response);
                if (status == (int)HfiStatus.Pending)
                {
                    // Aborted by its callback a moment ago: the transfer is being stopped.
                    status = NativeMethods.hfi_request_wait(request.DangerousGetHandle(), 10000, &response);
                }
                if (status == (int)HfiStatus.Pending)
                    throw new HfiException(HfiStatus.Internal, "the request did not end after its final event");
                Complete(status, response);
            }
            catch (Exception e)
            {
                Abandon(e);
            }
            finally
            {
                NativeMethods.hfi_response_free(response);
                request.Dispose();
            }
        }

        /// <summary>The failure for a status that is not OK, as .NET callers expect it.</summary>
        protected Exception Failure(int status, IntPtr response)
        {
            if (CallerFailure != null)
                return CallerFailure;
            if (status == (int)HfiStatus.Cancelled && Cancellation.IsCancellationRequested)
                return new OperationCanceledException(Cancellation);
            return ResponseReader.Error(status, response);
        }
    }
}
