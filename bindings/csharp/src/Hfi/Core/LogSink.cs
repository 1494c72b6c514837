using System;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Hfi.Native;

namespace Hfi.Core
{
    /// <summary>
    /// A client's logger, reached from hfi's I/O thread by an id: the native client holds the
    /// id, never a reference into the managed heap, so that it can outlive this object safely.
    /// </summary>
    internal sealed unsafe class LogSink
    {
        private static readonly ConcurrentDictionary<long, WeakReference<LogSink>> Sinks = new ConcurrentDictionary<long, WeakReference<LogSink>>();
        private static readonly NativeMethods.hfi_log_cb Callback = OnNativeLog;
        private static long lastId;
        private readonly Action<LogLevel, string> logger;

        internal LogSink(Action<LogLevel, string> logger)
        {
            this.logger = logger;
            Id = System.Threading.Interlocked.Increment(ref lastId);
            Sinks[Id] = new WeakReference<LogSink>(this);
        }

        internal long Id { get; }

        internal static IntPtr CallbackPointer { get; } = Marshal.GetFunctionPointerForDelegate(Callback);

        internal void Unregister() => Sinks.TryRemove(Id, out _);

        [AOT.MonoPInvokeCallback(typeof(NativeMethods.hfi_log_cb))]
        private static unsafe void OnNativeLog(int level, byte* message, UIntPtr length, IntPtr userData)
        {
            try
            {
                if (Sinks.TryGetValue((long)userData, out WeakReference<LogSink>? weak) && weak.TryGetTarget(out LogSink? sink))
                    sink.logger((LogLevel)level, Utf8.Decode(message, length));
            }
            catch
            {
                // A logger's failure must not unwind into hfi's I/O thread.
            }
        }
    }
}
