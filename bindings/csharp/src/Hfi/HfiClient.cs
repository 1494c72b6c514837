using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Hfi.Core;
using Hfi.Native;

namespace Hfi
{
    /// <summary>
    /// A client of Hugging Face inference: the router, <c>hf-inference</c>, any provider, or an
    /// OpenAI-compatible server. One client serves many concurrent requests from any threads
    /// (it holds the connection pool); dispose it when done, which cancels what still runs.
    /// </summary>
    /// <remarks>
    /// With <see cref="Dispatch.Background"/> (the default) requests complete by themselves;
    /// with <see cref="Dispatch.Manual"/> they complete during <see cref="Poll"/>, on the thread
    /// calling it (Unity's main thread). Every method is thread-safe.
    /// </remarks>
    public sealed partial class HfiClient : IDisposable
    {
        private readonly ClientCore core;
        private int disposed;

        /// <summary>A client with hfi's defaults: the router, the token from <c>HF_TOKEN</c> or the token file.</summary>
        public HfiClient() : this(new HfiClientOptions()) { }

        /// <summary>A client with <paramref name="options"/>.</summary>
        /// <exception cref="HfiException">An option is invalid (<see cref="HfiStatus.InvalidArg"/>), or libhfi is of another ABI generation (<see cref="HfiStatus.AbiMismatch"/>).</exception>
        public HfiClient(HfiClientOptions options)
        {
            if (options == null)
                throw new ArgumentNullException(nameof(options));
            CheckAbi();
            LogSink? sink = options.Logger == null ? null : new LogSink(options.Logger);
            try
            {
                core = new ClientCore(ClientFactory.Create(options, sink), options.Dispatch, sink);
            }
            catch
            {
                sink?.Unregister();
                GC.SuppressFinalize(this);
                throw;
            }
        }

        /// <summary>Disposes a client nobody disposed: what it holds is released in any order.</summary>
        ~HfiClient()
        {
            core?.Collected();
        }

        /// <summary>The version of the loaded libhfi (<c>"0.2.0"</c>).</summary>
        public static unsafe string NativeVersion
        {
            get
            {
                byte* p = NativeMethods.hfi_version_str();
                int n = 0;
                while (p != null && p[n] != 0)
                    n++;
                return Utf8.Decode(p, (UIntPtr)n);
            }
        }

        /// <summary>The version of the C header this binding was generated from.</summary>
        public static string BindingVersion => HeaderVersion.Text;

        /// <summary>Who delivers this client's events.</summary>
        public Dispatch Dispatch => core.Dispatch;

        private static void CheckAbi()
        {
            uint abi = NativeMethods.hfi_abi_version();
            if (abi != HeaderVersion.Abi)
                throw new HfiException(HfiStatus.AbiMismatch, "libhfi has ABI generation " + abi + "; this binding needs " + HeaderVersion.Abi);
        }

        // ---- chat ---------------------------------------------------------------------------

        /// <summary>Sends a chat completion and returns its answer when it has arrived.</summary>
        /// <exception cref="HfiException">The request failed; <see cref="HfiException.Status"/> says how.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public Task<ChatResponse> ChatAsync(ChatRequest request, CancellationToken cancellationToken = default) =>
            ChatAsync(request, null, cancellationToken);

        /// <summary>Sends a chat completion with per-call options.</summary>
        public unsafe Task<ChatResponse> ChatAsync(ChatRequest request, CallOptions? options, CancellationToken cancellationToken = default)
        {
            byte[] body = Body(request);
            var op = new ChatOperation(Core, this, cancellationToken);
            Core.Start(op, options, (client, o, outRequest) =>
            {
                fixed (byte* p = body)
                    return NativeMethods.hfi_request_start(client, TaskKind.Chat, p, (UIntPtr)body.Length, o, outRequest);
            });
            return op.Task;
        }

        /// <summary><see cref="ChatAsync(ChatRequest, CallOptions, CancellationToken)"/>, blocking the calling thread.</summary>
        public ChatResponse Chat(ChatRequest request, CallOptions? options = null, CancellationToken cancellationToken = default) =>
            Core.Block(ChatAsync(request, options, cancellationToken));

        /// <summary>Sends a chat completion as a stream and returns at once; read the stream as pieces arrive.</summary>
        /// <exception cref="HfiException">The request could not start (an invalid body).</exception>
        public unsafe ChatStream StreamChat(ChatRequest request, CallOptions? options = null, CancellationToken cancellationToken = default)
        {
            byte[] body = Body(request);
            var stream = new ChatStream(Core, this, cancellationToken);
            Core.Start(stream.Operation, options, (client, o, outRequest) =>
            {
                fixed (byte* p = body)
                    return NativeMethods.hfi_request_start(client, TaskKind.ChatStream, p, (UIntPtr)body.Length, o, outRequest);
            });
            return stream;
        }

#if NET8_0_OR_GREATER
        /// <summary>Streams a chat completion as an async sequence of pieces. Breaking out of the
        /// loop, or cancelling <paramref name="cancellationToken"/>, cancels the request.</summary>
        public async IAsyncEnumerable<ChatDelta> StreamChatAsync(ChatRequest request, CallOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            using ChatStream stream = StreamChat(request, options, cancellationToken);
            await foreach (ChatDelta delta in stream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return delta;
        }
#endif

        private static byte[] Body(ChatRequest request)
        {
            if (request == null)
                throw new ArgumentNullException(nameof(request));
            return Utf8.Encode(request.ToJson(), "the request");
        }

        // ---- the frame loop -----------------------------------------------------------------

        /// <summary>
        /// Delivers what arrived for this client's requests on the calling thread: completes
        /// their tasks, fills their streams, reports progress. Never blocks for the network.
        /// Call it once per frame on a <see cref="Dispatch.Manual"/> client.
        /// </summary>
        /// <returns>The number of native events delivered.</returns>
        /// <exception cref="InvalidOperationException">The client uses <see cref="Dispatch.Background"/>.</exception>
        /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
        public int Poll() => Core.Poll();

        // ---- utilities ----------------------------------------------------------------------

        /// <summary>Writes bytes as a <c>data:</c> URL, as chat messages take images; a null
        /// <paramref name="mediaType"/> has hfi tell it from the bytes.</summary>
        public static unsafe string DataUrl(byte[] data, string? mediaType = null)
        {
            if (data == null)
                throw new ArgumentNullException(nameof(data));
            if (data.Length == 0)
                throw HfiException.Invalid("DataUrl: no bytes");
            byte[]? type = mediaType == null ? null : Utf8.EncodeZ(mediaType, "the media type");
            fixed (byte* d = data)
            fixed (byte* t = type)
            {
                UIntPtr needed;
                int status = NativeMethods.hfi_data_url((IntPtr)d, (UIntPtr)data.Length, t, null, UIntPtr.Zero, &needed);
                if (status != (int)HfiStatus.BufferTooSmall)
                    HfiException.Check(status);
                byte[] url = new byte[checked((int)needed.ToUInt64())];
                fixed (byte* u = url)
                {
                    HfiException.Check(NativeMethods.hfi_data_url((IntPtr)d, (UIntPtr)data.Length, t, u, (UIntPtr)url.Length, &needed));
                    return Utf8.Decode(u, (UIntPtr)(url.Length - 1));
                }
            }
        }

        /// <summary>Disposes the client: cancels its running requests (their tasks end with an
        /// exception, their streams with an error), then releases the native client. Idempotent.</summary>
        public void Dispose()
        {
            if (Volatile.Read(ref disposed) != 0)
                return;
            core.ThrowIfDeliveringHere();
            if (Interlocked.Exchange(ref disposed, 1) != 0)
                return;
            core.Close();
            GC.SuppressFinalize(this);
        }

        internal ClientCore Core
        {
            get
            {
                if (Volatile.Read(ref disposed) != 0)
                    throw new ObjectDisposedException(nameof(HfiClient), "the client was disposed");
                return core;
            }
        }
    }
}
