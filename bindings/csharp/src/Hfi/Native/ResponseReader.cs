using System;
using System.Collections.Generic;

namespace Hfi.Native
{
    /// <summary>Copies what a native response holds into .NET objects.</summary>
    internal static unsafe class ResponseReader
    {
        internal static ChatResponse Chat(IntPtr r)
        {
            byte* p;
            UIntPtr n;
            var chat = new ChatResponse
            {
                Content = Utf8.Text(NativeMethods.hfi_response_content(r, &p, &n), p, n),
                Reasoning = Utf8.Text(NativeMethods.hfi_response_reasoning(r, &p, &n), p, n),
                FinishReason = Utf8.Text(NativeMethods.hfi_response_finish_reason(r, &p, &n), p, n),
                Model = Utf8.Text(NativeMethods.hfi_response_model(r, &p, &n), p, n),
                RequestId = Utf8.Text(NativeMethods.hfi_response_request_id(r, &p, &n), p, n),
                Json = Utf8.Text(NativeMethods.hfi_response_json(r, &p, &n), p, n),
                Target = Utf8.Text(NativeMethods.hfi_response_target(r, &p, &n), p, n),
                HttpStatus = NativeMethods.hfi_response_http_status(r),
                Attempts = NativeMethods.hfi_response_attempts(r),
            };
            long prompt, completion, total;
            if (NativeMethods.hfi_response_usage(r, &prompt, &completion, &total) == 0 && total >= 0)
                chat.Usage = new Usage(prompt, completion, total);
            double totalMs, firstByteMs;
            if (NativeMethods.hfi_response_timings(r, &totalMs, &firstByteMs) == 0)
            {
                chat.Total = TimeSpan.FromMilliseconds(Math.Max(0, totalMs));
                chat.FirstByte = TimeSpan.FromMilliseconds(Math.Max(0, firstByteMs));
            }
            UIntPtr count;
            if (NativeMethods.hfi_response_tool_call_count(r, &count) == 0 && count != UIntPtr.Zero)
            {
                var calls = new List<ToolCall>();
                for (ulong i = 0; i < count.ToUInt64(); i++)
                {
                    var index = (UIntPtr)i;
                    string id = Utf8.Text(NativeMethods.hfi_response_tool_call_id(r, index, &p, &n), p, n);
                    string name = Utf8.Text(NativeMethods.hfi_response_tool_call_name(r, index, &p, &n), p, n);
                    string arguments = Utf8.Text(NativeMethods.hfi_response_tool_call_arguments(r, index, &p, &n), p, n);
                    calls.Add(new ToolCall(id, name, arguments));
                }
                chat.ToolCalls = calls;
            }
            return chat;
        }

        internal static TaskOutput Task(IntPtr r)
        {
            byte* p;
            UIntPtr n;
            IntPtr bytes;
            UIntPtr length;
            byte[] media = NativeMethods.hfi_response_bytes(r, &bytes, &length) == 0 ? Utf8.Copy((byte*)bytes, length) : Array.Empty<byte>();
            return new TaskOutput(
                Utf8.Text(NativeMethods.hfi_response_json(r, &p, &n), p, n),
                media,
                Utf8.Text(NativeMethods.hfi_response_media_type(r, &p, &n), p, n),
                Utf8.Text(NativeMethods.hfi_response_content(r, &p, &n), p, n),
                Utf8.Text(NativeMethods.hfi_response_provider(r, &p, &n), p, n));
        }

        internal static string Provider(IntPtr r)
        {
            byte* p;
            UIntPtr n;
            return r == IntPtr.Zero ? "" : Utf8.Text(NativeMethods.hfi_response_provider(r, &p, &n), p, n);
        }

        internal static HfiException Error(int status, IntPtr response) =>
            HfiException.FromError(status, response == IntPtr.Zero ? IntPtr.Zero : NativeMethods.hfi_response_error(response), Provider(response));

        /// <summary>One streamed chat event as a <see cref="ChatDelta"/>; null for the kinds a chat stream does not surface.</summary>
        internal static ChatDelta? Delta(IntPtr ev, int type)
        {
            byte* p;
            UIntPtr n;
            int choice = NativeMethods.hfi_event_choice_index(ev);
            switch (type)
            {
                case EventType.Delta:
                case EventType.Reasoning:
                case EventType.Finish:
                    return new ChatDelta((ChatDeltaKind)type, choice, Utf8.Text(NativeMethods.hfi_event_text(ev, &p, &n), p, n));
                case EventType.ToolCall:
                    int index = NativeMethods.hfi_event_tool_call_index(ev);
                    string id = Utf8.Text(NativeMethods.hfi_event_tool_call_id(ev, &p, &n), p, n);
                    string name = Utf8.Text(NativeMethods.hfi_event_tool_call_name(ev, &p, &n), p, n);
                    string arguments = Utf8.Text(NativeMethods.hfi_event_tool_call_arguments(ev, &p, &n), p, n);
                    return new ChatDelta(ChatDeltaKind.ToolCall, choice, "", new ToolCallDelta(index, id, name, arguments));
                case EventType.Usage:
                    long prompt, completion, total;
                    NativeMethods.hfi_event_usage(ev, &prompt, &completion, &total);
                    return new ChatDelta(ChatDeltaKind.Usage, choice, "", usage: new Usage(prompt, completion, total));
                default:
                    return null;
            }
        }
    }
}
