using System;
using System.Collections.Generic;
using Hfi.Native;

namespace Hfi.Core
{
    /// <summary>An <see cref="HfiClientOptions"/> as a native client.</summary>
    internal static unsafe class ClientFactory
    {
        internal static ClientHandle Create(HfiClientOptions options, LogSink? sink)
        {
            IntPtr raw;
            HfiException.Check(NativeMethods.hfi_client_options_new(&raw));
            using var builder = new ClientOptionsHandle(raw);
            Apply(raw, options, sink);
            IntPtr client;
            HfiException.Check(NativeMethods.hfi_client_new(&client, raw));
            return new ClientHandle(client);
        }

        private static void Apply(IntPtr o, HfiClientOptions options, LogSink? sink)
        {
            Text(o, ClientOption.Token, options.Token, "Token");
            Text(o, ClientOption.BaseUrl, options.BaseUrl, "BaseUrl");
            Text(o, ClientOption.RouterUrl, options.RouterUrl, "RouterUrl");
            Text(o, ClientOption.HubUrl, options.HubUrl, "HubUrl");
            Text(o, ClientOption.Provider, options.Provider, "Provider");
            Text(o, ClientOption.UserAgent, options.UserAgent, "UserAgent");
            Text(o, ClientOption.BillTo, options.BillTo, "BillTo");
            Text(o, ClientOption.CaBundle, options.CaBundle, "CaBundle");
            Text(o, ClientOption.Proxy, options.Proxy, "Proxy");
            foreach (string header in options.Headers)
                Text(o, ClientOption.Header, header, "a header");
            foreach (KeyValuePair<string, string> key in options.ProviderKeys)
                Text(o, ClientOption.ProviderKey, key.Key + "=" + key.Value, "a provider key");
            foreach (KeyValuePair<string, string> url in options.ProviderUrls)
                Text(o, ClientOption.ProviderUrl, url.Key + "=" + url.Value, "a provider URL");
            foreach (string target in options.Targets)
                Text(o, ClientOption.Target, target, "a target");
            Ms(o, ClientOption.ConnectTimeoutMs, options.ConnectTimeout, "ConnectTimeout");
            Ms(o, ClientOption.TimeoutMs, options.Timeout, "Timeout");
            Ms(o, ClientOption.StallTimeoutMs, options.StallTimeout, "StallTimeout");
            Ms(o, ClientOption.FirstByteTimeoutMs, options.FirstByteTimeout, "FirstByteTimeout");
            Ms(o, ClientOption.MaxRetryAfterMs, options.MaxRetryAfter, "MaxRetryAfter");
            Ms(o, ClientOption.MaxRetryTimeMs, options.MaxRetryTime, "MaxRetryTime");
            Ms(o, ClientOption.WaitForModelMs, options.WaitForModel, "WaitForModel");
            Ms(o, ClientOption.MappingTtlMs, options.MappingTtl, "MappingTtl");
            Ms(o, ClientOption.BreakerCooldownMs, options.BreakerCooldown, "BreakerCooldown");
            Int(o, ClientOption.MaxRetries, options.MaxRetries);
            Int(o, ClientOption.BreakerFailures, options.BreakerFailures);
            Int(o, ClientOption.MaxResponseBytes, options.MaxResponseBytes);
            Int(o, ClientOption.MaxEventBytes, options.MaxEventBytes);
            if (options.TokenFromEnvironment.HasValue)
                Int(o, ClientOption.TokenFromEnv, options.TokenFromEnvironment.Value ? 1 : 0);
            if (options.AllowInsecureHttp.HasValue)
                Int(o, ClientOption.AllowInsecureHttp, options.AllowInsecureHttp.Value ? 1 : 0);
            // Both dispatch modes deliver from the network driven by hfi's own thread: a manual
            // client's frame loop never does I/O, a background client's thread only delivers.
            Int(o, ClientOption.IoMode, (int)IoMode.Thread);
            foreach (KeyValuePair<int, string> raw in options.RawStrings)
                Text(o, raw.Key, raw.Value, "option " + raw.Key);
            foreach (KeyValuePair<int, long> raw in options.RawInts)
                Int(o, raw.Key, raw.Value);
            if (sink != null)
                HfiException.Check(NativeMethods.hfi_client_options_set_log(o, LogSink.CallbackPointer, (IntPtr)sink.Id, (int)options.LogLevel));
        }

        private static void Text(IntPtr o, int key, string? value, string what)
        {
            if (value == null)
                return;
            byte[] text = Utf8.Encode(value, what);
            fixed (byte* p = text)
                HfiException.Check(NativeMethods.hfi_client_options_set_str(o, key, p, (UIntPtr)text.Length));
        }

        private static void Int(IntPtr o, int key, long? value)
        {
            if (value.HasValue)
                HfiException.Check(NativeMethods.hfi_client_options_set_int(o, key, value.Value));
        }

        private static void Ms(IntPtr o, int key, TimeSpan? value, string what)
        {
            if (value.HasValue)
                Int(o, key, RequestOptionsBuilder.Milliseconds(value.Value, what));
        }
    }
}
