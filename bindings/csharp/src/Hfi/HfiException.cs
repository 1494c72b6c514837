using System;
using Hfi.Native;

namespace Hfi
{
    /// <summary>A rate limit the server announced (<c>RateLimit</c> / <c>X-RateLimit-*</c> headers).</summary>
    public sealed class RateLimit
    {
        internal RateLimit(long limit, long remaining, long resetMs, string policy)
        {
            Limit = limit;
            Remaining = remaining;
            Reset = resetMs >= 0 ? TimeSpan.FromMilliseconds(resetMs) : (TimeSpan?)null;
            Policy = policy;
        }

        /// <summary>Requests (or tokens) allowed in the window; -1 when not announced.</summary>
        public long Limit { get; }

        /// <summary>What is left of it; -1 when not announced.</summary>
        public long Remaining { get; }

        /// <summary>When the window resets, from the response; null when not announced.</summary>
        public TimeSpan? Reset { get; }

        /// <summary>The server's policy text (<c>RateLimit-Policy</c>), or "".</summary>
        public string Policy { get; }
    }

    /// <summary>
    /// A failed hfi call: an invalid argument, a network failure, a timeout, or an error the
    /// server or provider answered. <see cref="Status"/> tells which; the rest is what the server
    /// said.
    /// </summary>
    public sealed class HfiException : Exception
    {
        internal HfiException(HfiStatus status, string detail, int httpStatus = 0, string errorType = "",
                              TimeSpan? retryAfter = null, string body = "", string provider = "",
                              RateLimit? rateLimit = null, Exception? inner = null)
            : base(Compose(status, detail, httpStatus), inner)
        {
            Status = status;
            Detail = detail;
            HttpStatus = httpStatus;
            ErrorType = errorType;
            RetryAfter = retryAfter;
            Body = body;
            Provider = provider;
            RateLimit = rateLimit;
        }

        /// <summary>What failed, as hfi's status code.</summary>
        public HfiStatus Status { get; }

        /// <summary>The HTTP status of the failed response; 0 when none arrived.</summary>
        public int HttpStatus { get; }

        /// <summary>The provider's or hfi's own message, without the status prefix of <see cref="Exception.Message"/>.</summary>
        public string Detail { get; }

        /// <summary>The error's type as the server named it (<c>invalid_request_error</c>, ...), or "".</summary>
        public string ErrorType { get; }

        /// <summary>How long the server asked the caller to wait (<c>Retry-After</c>); null when it did not.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>The error response's body as received (credentials never appear in it), or "".</summary>
        public string Body { get; }

        /// <summary>The provider that answered, when hfi knows it; otherwise "".</summary>
        public string Provider { get; }

        /// <summary>The rate limit the failed response announced, or null.</summary>
        public RateLimit? RateLimit { get; }

        /// <summary>True for failures a later retry may cure: the network, timeouts, 429 and 5xx.</summary>
        public bool IsTransient
        {
            get
            {
                switch (Status)
                {
                    case HfiStatus.Network:
                    case HfiStatus.Timeout:
                    case HfiStatus.ConnectTimeout:
                    case HfiStatus.StallTimeout:
                    case HfiStatus.FirstByteTimeout:
                    case HfiStatus.Resolve:
                    case HfiStatus.Connect:
                    case HfiStatus.RateLimited:
                    case HfiStatus.Server:
                    case HfiStatus.Unavailable:
                    case HfiStatus.ModelLoading:
                    case HfiStatus.StreamTruncated:
                        return true;
                    default:
                        return false;
                }
            }
        }

        /// <summary>The C library's name of a status code (<c>"HFI_E_AUTH"</c> style text).</summary>
        public static unsafe string StatusText(HfiStatus status)
        {
            byte* p = NativeMethods.hfi_status_str((int)status);
            if (p == null)
                return status.ToString();
            int n = 0;
            while (p[n] != 0)
                n++;
            return Utf8.Decode(p, (UIntPtr)n);
        }

        private static string Compose(HfiStatus status, string detail, int httpStatus)
        {
            string head = "hfi: " + StatusText(status);
            if (httpStatus >= 400) // a failure after a successful exchange (a bad body) names no HTTP error
            {
                // The status text names the usual code ("server error (HTTP 5xx)"): the actual one replaces it.
                int generic = head.IndexOf(" (HTTP ", StringComparison.Ordinal);
                head = (generic >= 0 ? head.Substring(0, generic) : head) + " (HTTP " + httpStatus + ")";
            }
            return detail.Length == 0 ? head : head + ": " + detail;
        }

        internal static HfiException Invalid(string detail) => new HfiException(HfiStatus.InvalidArg, detail);

        /// <summary>The failure of a call just made on this thread, explained by hfi_last_error_message.</summary>
        internal static unsafe HfiException FromLastError(int status)
        {
            byte* p;
            UIntPtr n;
            NativeMethods.hfi_last_error_message(&p, &n);
            return new HfiException((HfiStatus)status, Utf8.Decode(p, n));
        }

        internal static void Check(int status)
        {
            if (status < 0)
                throw FromLastError(status);
        }

        /// <summary>A request's failure as its response or event reports it.</summary>
        internal static unsafe HfiException FromError(int status, IntPtr error, string provider)
        {
            if (error == IntPtr.Zero)
                return new HfiException((HfiStatus)status, "", provider: provider);
            byte* p;
            UIntPtr n;
            string message = Utf8.Text(NativeMethods.hfi_error_message(error, &p, &n), p, n);
            string type = Utf8.Text(NativeMethods.hfi_error_type(error, &p, &n), p, n);
            string body = Utf8.Text(NativeMethods.hfi_error_body(error, &p, &n), p, n);
            string policy = Utf8.Text(NativeMethods.hfi_error_rate_limit_policy(error, &p, &n), p, n);
            long retryMs = NativeMethods.hfi_error_retry_after_ms(error);
            long limit, remaining, reset;
            RateLimit? rate = NativeMethods.hfi_error_rate_limit(error, &limit, &remaining, &reset) == 0
                              && (limit >= 0 || remaining >= 0 || reset >= 0)
                ? new RateLimit(limit, remaining, reset, policy)
                : null;
            int code = NativeMethods.hfi_error_code(error);
            return new HfiException((HfiStatus)(code != 0 ? code : status), message,
                                    NativeMethods.hfi_error_http_status(error), type,
                                    retryMs >= 0 ? TimeSpan.FromMilliseconds(retryMs) : (TimeSpan?)null,
                                    body, provider, rate);
        }
    }
}
