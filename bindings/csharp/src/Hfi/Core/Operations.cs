using System;
using System.Threading;
using System.Threading.Tasks;
using Hfi.Native;

namespace Hfi.Core
{
    /// <summary>An operation whose result is a value, awaited through a task.</summary>
    internal abstract class ResultOperation<T> : Operation
    {
        // Continuations never run on the dispatch thread: caller code there would hold up every
        // other request of the client.
        private readonly TaskCompletionSource<T> result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);

        protected ResultOperation(ClientCore core, object owner, CancellationToken cancellation)
            : base(core, owner, cancellation)
        {
        }

        internal Task<T> Task => result.Task;

        protected abstract T Read(IntPtr response);

        protected override void Complete(int status, IntPtr response)
        {
            if (status == 0 && CallerFailure == null)
                result.TrySetResult(Read(response));
            else
                Fail(Failure(status, response));
        }

        internal override void Abandon(Exception reason) => Fail(reason);

        private void Fail(Exception e)
        {
            if (e is OperationCanceledException oce)
                result.TrySetCanceled(oce.CancellationToken);
            else
                result.TrySetException(e);
        }
    }

    internal sealed class ChatOperation : ResultOperation<ChatResponse>
    {
        internal ChatOperation(ClientCore core, object owner, CancellationToken cancellation)
            : base(core, owner, cancellation)
        {
        }

        internal override void OnEvent(IntPtr ev, int type)
        {
        }

        protected override ChatResponse Read(IntPtr response) => ResponseReader.Chat(response);
    }

    internal sealed class TaskOperation : ResultOperation<TaskOutput>
    {
        private readonly IProgress<TaskProgress>? progress;

        internal TaskOperation(ClientCore core, object owner, IProgress<TaskProgress>? progress, CancellationToken cancellation)
            : base(core, owner, cancellation)
        {
            this.progress = progress;
        }

        internal override unsafe void OnEvent(IntPtr ev, int type)
        {
            if (type != EventType.Progress || progress == null)
                return;
            byte* p;
            UIntPtr n;
            string status = Utf8.Text(NativeMethods.hfi_event_text(ev, &p, &n), p, n);
            string json = Utf8.Text(NativeMethods.hfi_event_json(ev, &p, &n), p, n);
            progress.Report(new TaskProgress(status, NativeMethods.hfi_event_progress(ev), json));
        }

        protected override TaskOutput Read(IntPtr response) => ResponseReader.Task(response);
    }
}
