using System;
using System.Collections.Generic;

namespace Hfi
{
    /// <summary>Who delivers the events of a client's requests to .NET code.</summary>
    public enum Dispatch
    {
        /// <summary>
        /// A thread of the client (started with its first request) delivers them: tasks complete
        /// and streams fill by themselves. For servers, tools and desktop apps.
        /// </summary>
        Background = 0,

        /// <summary>
        /// Nothing happens in .NET until the program calls <see cref="HfiClient.Poll"/>, which
        /// delivers what arrived on the calling thread and never blocks: the Unity pattern
        /// (call it from <c>Update()</c>). hfi's own I/O thread does the network; native code
        /// never calls into managed code.
        /// </summary>
        Manual = 1,
    }

    /// <summary>
    /// Settings of an <see cref="HfiClient"/>. Unset values keep hfi's defaults (the C header,
    /// <c>include/hfi/hfi.h</c>, documents each); the client copies them when it is made.
    /// </summary>
    public sealed class HfiClientOptions
    {
        /// <summary>Access token. Default: <c>HF_TOKEN</c> or the huggingface_hub token file,
        /// sent only to Hugging Face hosts.</summary>
        public string? Token { get; set; }

        /// <summary>Base URL of an OpenAI-compatible server (TGI, vLLM, llama.cpp, a gateway)
        /// used instead of the router.</summary>
        public string? BaseUrl { get; set; }

        /// <summary>Router URL (default <c>https://router.huggingface.co</c>).</summary>
        public string? RouterUrl { get; set; }

        /// <summary>Hub URL, for the provider mappings of tasks (default <c>https://huggingface.co</c>).</summary>
        public string? HubUrl { get; set; }

        /// <summary>Provider policy: a provider name, <c>auto</c> (default), <c>fastest</c> or <c>cheapest</c>.</summary>
        public string? Provider { get; set; }

        /// <summary>Text appended to the User-Agent header.</summary>
        public string? UserAgent { get; set; }

        /// <summary>Organisation to bill (<c>X-HF-Bill-To</c>).</summary>
        public string? BillTo { get; set; }

        /// <summary>PEM file of CA certificates to trust instead of the system's.</summary>
        public string? CaBundle { get; set; }

        /// <summary>Proxy URL; default: the proxy environment variables.</summary>
        public string? Proxy { get; set; }

        /// <summary>Extra request headers, each <c>Name: value</c>.</summary>
        public IList<string> Headers { get; } = new List<string>();

        /// <summary>Providers' own API keys (provider → key): tasks then call that provider directly.</summary>
        public IDictionary<string, string> ProviderKeys { get; } = new Dictionary<string, string>();

        /// <summary>Where a provider is reached with its own key (provider → URL).</summary>
        public IDictionary<string, string> ProviderUrls { get; } = new Dictionary<string, string>();

        /// <summary>Failover tiers of chat targets, tried in order (syntax of <c>HFI_OPT_TARGET</c>).</summary>
        public IList<string> Targets { get; } = new List<string>();

        /// <summary>Time allowed for DNS, TCP and TLS (default 10 s).</summary>
        public TimeSpan? ConnectTimeout { get; set; }

        /// <summary>Time allowed for a whole request (default: none).</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Time without a byte before a request fails (default 120 s; zero: never).</summary>
        public TimeSpan? StallTimeout { get; set; }

        /// <summary>Time from sending a request to the start of its response (default: none).</summary>
        public TimeSpan? FirstByteTimeout { get; set; }

        /// <summary>Times a failed attempt is tried again (default 2).</summary>
        public int? MaxRetries { get; set; }

        /// <summary>Longest <c>Retry-After</c> hfi waits before a retry (default 60 s).</summary>
        public TimeSpan? MaxRetryAfter { get; set; }

        /// <summary>Time after a request's start past which no retry begins (default: none).</summary>
        public TimeSpan? MaxRetryTime { get; set; }

        /// <summary>Time hfi may wait for a model that is loading (default: none).</summary>
        public TimeSpan? WaitForModel { get; set; }

        /// <summary>How long a provider mapping from the Hub is reused (default 5 min).</summary>
        public TimeSpan? MappingTtl { get; set; }

        /// <summary>Consecutive failures after which a target rests (default 3).</summary>
        public int? BreakerFailures { get; set; }

        /// <summary>How long a failing target rests (default 30 s).</summary>
        public TimeSpan? BreakerCooldown { get; set; }

        /// <summary>Largest response body accepted, in bytes (default 64 MiB).</summary>
        public long? MaxResponseBytes { get; set; }

        /// <summary>Largest single stream event accepted, in bytes (default 64 MiB).</summary>
        public long? MaxEventBytes { get; set; }

        /// <summary>Whether a token is looked up in the environment when <see cref="Token"/> is not set (default true).</summary>
        public bool? TokenFromEnvironment { get; set; }

        /// <summary>Allow plain <c>http://</c> to hosts other than loopback (default false).</summary>
        public bool? AllowInsecureHttp { get; set; }

        /// <summary>Who delivers events to .NET code (default <see cref="Dispatch.Background"/>).</summary>
        public Dispatch Dispatch { get; set; } = Dispatch.Background;

        /// <summary>
        /// Receives the client's log lines up to <see cref="LogLevel"/>, credentials redacted. It
        /// runs on hfi's I/O thread: keep it short, and do not call the client from it.
        /// </summary>
        public Action<LogLevel, string>? Logger { get; set; }

        /// <summary>The most detailed level <see cref="Logger"/> receives (default <see cref="LogLevel.Info"/>).</summary>
        public LogLevel LogLevel { get; set; } = LogLevel.Info;

        internal readonly List<KeyValuePair<int, string>> RawStrings = new List<KeyValuePair<int, string>>();
        internal readonly List<KeyValuePair<int, long>> RawInts = new List<KeyValuePair<int, long>>();

        /// <summary>Sets a text option by its number in <c>hfi.h</c> (for options newer than this binding).</summary>
        public HfiClientOptions Set(int key, string value)
        {
            RawStrings.Add(new KeyValuePair<int, string>(key, value ?? throw new ArgumentNullException(nameof(value))));
            return this;
        }

        /// <summary>Sets an integer option by its number in <c>hfi.h</c>.</summary>
        public HfiClientOptions Set(int key, long value)
        {
            RawInts.Add(new KeyValuePair<int, long>(key, value));
            return this;
        }
    }
}
