using System;
using Hfi.Core;

namespace Hfi.Native
{
    /// <summary>A <see cref="CallOptions"/> as an hfi_request_options builder.</summary>
    internal static unsafe class RequestOptionsBuilder
    {
        internal static RequestOptionsHandle Build(CallOptions? call)
        {
            IntPtr raw;
            HfiException.Check(NativeMethods.hfi_request_options_new(&raw));
            var options = new RequestOptionsHandle(raw);
            try
            {
                if (call != null)
                    Apply(raw, call);
                return options;
            }
            catch
            {
                options.Dispose();
                throw;
            }
        }

        private static void Apply(IntPtr o, CallOptions call)
        {
            SetMs(o, RequestOption.TimeoutMs, call.Timeout, "Timeout");
            SetMs(o, RequestOption.StallTimeoutMs, call.StallTimeout, "StallTimeout");
            SetMs(o, RequestOption.FirstByteTimeoutMs, call.FirstByteTimeout, "FirstByteTimeout");
            SetMs(o, RequestOption.PollIntervalMs, call.PollInterval, "PollInterval");
            if (call.MaxRetries.HasValue)
                HfiException.Check(NativeMethods.hfi_request_options_set_int(o, RequestOption.MaxRetries, call.MaxRetries.Value));
            foreach (string header in call.Headers)
                SetText(o, RequestOption.Header, header, "a header");
            if (call.Providers.Count > 0)
                SetText(o, RequestOption.Provider, string.Join(",", call.Providers), "the providers");
            if (call.Input != null)
            {
                if (call.Input.Length == 0)
                    throw HfiException.Invalid("the input is empty");
                byte[]? type = call.InputMediaType == null ? null : Utf8.EncodeZ(call.InputMediaType, "the input's media type");
                fixed (byte* data = call.Input)
                fixed (byte* t = type)
                    HfiException.Check(NativeMethods.hfi_request_options_set_input(o, (IntPtr)data, (UIntPtr)call.Input.Length, t));
            }
        }

        internal static long Milliseconds(TimeSpan value, string what)
        {
            if (value < TimeSpan.Zero)
                throw HfiException.Invalid(what + " is negative");
            return (long)Math.Ceiling(value.TotalMilliseconds);
        }

        private static void SetMs(IntPtr o, int key, TimeSpan? value, string what)
        {
            if (value.HasValue)
                HfiException.Check(NativeMethods.hfi_request_options_set_int(o, key, Milliseconds(value.Value, what)));
        }

        private static void SetText(IntPtr o, int key, string value, string what)
        {
            byte[] text = Utf8.Encode(value ?? throw HfiException.Invalid(what + " is null"), what);
            fixed (byte* p = text)
                HfiException.Check(NativeMethods.hfi_request_options_set_str(o, key, p, (UIntPtr)text.Length));
        }
    }
}
