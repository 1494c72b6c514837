using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace Hfi.Tests
{
    /// <summary>The hfi-emulator the tests of one assembly share: HFI_EMULATOR names its binary
    /// (tests/run.sh sets it; the default is the CMake build tree's).</summary>
    public sealed class Emulator
    {
        private static readonly Lazy<Emulator> Shared = new Lazy<Emulator>(() => new Emulator(), LazyThreadSafetyMode.ExecutionAndPublication);
        private static readonly HttpClient Http = new HttpClient();
        private readonly Process process;

        public static Emulator Instance => Shared.Value;

        public string Url { get; }

        private Emulator()
        {
            string bin = Environment.GetEnvironmentVariable("HFI_EMULATOR")
                         ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../../build/tests/emulator/hfi-emulator"));
            string dir = Path.Combine(Path.GetTempPath(), "hfi-cs-emu-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            string portFile = Path.Combine(dir, "port");
            // A shell holds the emulator and stops it when its stdin (our end of a pipe) closes:
            // when this process exits, however it exits.
            var start = new ProcessStartInfo("sh")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("\"$0\" --port 0 --port-file \"$1\" --threads 256 --quiet >/dev/null & emu=$!; read -r _; kill $emu; wait $emu");
            start.ArgumentList.Add(bin);
            start.ArgumentList.Add(portFile);
            process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the emulator " + bin + " (set HFI_EMULATOR)");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(dir);
            for (int i = 0; i < 400; i++)
            {
                if (File.Exists(portFile))
                {
                    string port = File.ReadAllText(portFile).Trim();
                    if (port.Length > 0)
                    {
                        Url = "http://127.0.0.1:" + port;
                        return;
                    }
                }
                Thread.Sleep(25);
            }
            Stop(dir);
            throw new InvalidOperationException("the emulator " + bin + " did not start");
        }

        private void Stop(string dir)
        {
            try
            {
                process.StandardInput.Close();
                process.WaitForExit(5000);
                Directory.Delete(dir, true);
            }
            catch (Exception)
            {
                // Best effort at exit.
            }
        }

        /// <summary>A control request (/_emulator/...) that must be accepted.</summary>
        public string Post(string path, string json)
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using HttpResponseMessage answer = Http.PostAsync(Url + path, content).GetAwaiter().GetResult();
            string body = answer.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (!answer.IsSuccessStatusCode)
                throw new InvalidOperationException("emulator " + path + " refused " + json + ": " + body);
            return body;
        }

        /// <summary>Queues a script step for requests to <paramref name="path"/> only.</summary>
        public void Script(string path, string stepJson)
        {
            string step = stepJson.TrimEnd().TrimEnd('}');
            if (!step.TrimEnd().EndsWith("{"))
                step += ",";
            Post("/_emulator/script", step + "\"match\":{\"path\":\"" + path + "\"}}");
        }

        /// <summary>The bodies of the requests that reached <paramref name="path"/>.</summary>
        public string[] BodiesTo(string path)
        {
            string json = Http.GetStringAsync(Url + "/_emulator/requests").GetAwaiter().GetResult();
            using JsonDocument doc = JsonDocument.Parse(json);
            return doc.RootElement.EnumerateArray()
                .Where(r => r.GetProperty("path").GetString() == path)
                .Select(r => r.TryGetProperty("body", out JsonElement b) ? b.GetString() ?? "" : "")
                .ToArray();
        }

        /// <summary>A test's own chat URL, so that its script steps serve it only: (base URL, path).</summary>
        public (string BaseUrl, string Path) Route(string name) => (Url + "/t/" + name + "/v1", "/t/" + name + "/v1/chat/completions");

        /// <summary>A client of a test's own route (see <see cref="Route"/>), whose requests
        /// <paramref name="step"/> (a script step, or null) serves.</summary>
        public HfiClient RouteClient(string name, out string path, string? step = null, Dispatch dispatch = Dispatch.Background)
        {
            (string baseUrl, string routePath) = Route(name);
            path = routePath;
            if (step != null)
                Script(path, step);
            HfiClientOptions options = Options(dispatch);
            options.BaseUrl = baseUrl;
            return new HfiClient(options);
        }

        /// <summary>Options of a client of the emulator: no token from the environment.</summary>
        public HfiClientOptions Options(Dispatch dispatch = Dispatch.Background)
        {
            return new HfiClientOptions
            {
                RouterUrl = Url,
                HubUrl = Url,
                Token = "hf_test",
                TokenFromEnvironment = false,
                Dispatch = dispatch,
            };
        }

        public HfiClient Client(Dispatch dispatch = Dispatch.Background) => new HfiClient(Options(dispatch));

        public static ChatRequest Ask(string prompt) => new ChatRequest("meta-llama/Llama-3.1-8B-Instruct", prompt);

        public static string Words(int n) => string.Join(" ", Enumerable.Range(0, n).Select(i => "w" + i));

        public static byte[] Png() => new byte[] { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89 };

        public static byte[] Wav()
        {
            var b = new MemoryStream();
            var w = new BinaryWriter(b);
            byte[] samples = new byte[32];
            w.Write(Encoding.ASCII.GetBytes("RIFF"));
            w.Write(36 + samples.Length);
            w.Write(Encoding.ASCII.GetBytes("WAVEfmt "));
            w.Write(16);
            w.Write((short)1);
            w.Write((short)1);
            w.Write(16000);
            w.Write(32000);
            w.Write((short)2);
            w.Write((short)16);
            w.Write(Encoding.ASCII.GetBytes("data"));
            w.Write(samples.Length);
            w.Write(samples);
            w.Flush();
            return b.ToArray();
        }
    }
}
