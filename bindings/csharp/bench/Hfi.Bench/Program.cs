// Streamed events/s through the C# binding, next to hfi's C benchmark client (bench/hfi_bench.c)
// on the same machine, against one emulator answering every request with the same stream of
// 500 text deltas:
//
//   dotnet run -c Release --project bench/Hfi.Bench [-- SECONDS ROUNDS]
//
// HFI_EMULATOR and HFI_BENCH name the hfi-emulator and hfi-bench binaries (default: the CMake
// build tree's). Both clients run one stream at a time with the network on hfi's I/O thread;
// rounds alternate C# and C and the medians are reported, with the client CPU per event. The C#
// client reads with a blocking enumerator (Dispatch.Background), with await foreach, and in a
// frame loop's TryRead (Dispatch.Manual, polled without sleeping), each measured separately.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Hfi;
using Hfi.Tests;

internal static class Program
{
    private const int Events = 500;

    private static async Task<int> Main(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2;
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        Emulator emu = Emulator.Instance;
        var pieces = new StringBuilder("[");
        for (int i = 0; i < Events; i++)
            pieces.Append(i == 0 ? "" : ",").Append(JsonSerializer.Serialize(
                "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + " \"},\"finish_reason\":null}]}\n\n"));
        pieces.Append(",\"data: [DONE]\\n\\n\"]");
        emu.Post("/_emulator/script", "{\"sse\":" + pieces + ",\"repeat\":1000000}");
        string url = emu.Url + "/v1/chat/completions";
        var background = new HfiClientOptions { BaseUrl = emu.Url + "/v1", TokenFromEnvironment = false };
        var manual = new HfiClientOptions { BaseUrl = emu.Url + "/v1", TokenFromEnvironment = false, Dispatch = Dispatch.Manual };
        using var client = new HfiClient(background);
        using var manualClient = new HfiClient(manual);
        var request = new ChatRequest("m", "How many G in huggingface?");
        var readers = new (string Name, Func<TimeSpan, Task<(double, double)>> Run)[]
        {
            ("C# enumerator (background)", d => Task.FromResult(Measure(d, () => client.StreamChat(request).Count(x => x.Kind == ChatDeltaKind.Content)))),
            ("C# await foreach", d => MeasureAsync(d, async () =>
            {
                int n = 0;
                await foreach (ChatDelta x in client.StreamChatAsync(request))
                    if (x.Kind == ChatDeltaKind.Content)
                        n++;
                return n;
            })),
            ("C# TryRead + Poll (manual)", d => Task.FromResult(Measure(d, () =>
            {
                int n = 0;
                using ChatStream s = manualClient.StreamChat(request);
                while (!s.IsCompleted)
                {
                    manualClient.Poll();
                    while (s.TryRead(out ChatDelta? x))
                        if (x!.Kind == ChatDeltaKind.Content)
                            n++;
                }
                return n;
            }))),
        };
        foreach (var r in readers)
            await r.Run(TimeSpan.FromSeconds(1)); // warm-up: JIT, tiering, connections
        var span = TimeSpan.FromSeconds(seconds);
        var rates = readers.ToDictionary(r => r.Name, _ => new List<(double Rate, double Cpu)>());
        var c = new List<(double Rate, double Cpu)>();
        for (int round = 0; round < rounds; round++)
        {
            foreach (var r in readers)
                rates[r.Name].Add(await r.Run(span));
            c.Add(CRate(url, span));
        }
        double cRate = Median(c.Select(x => x.Rate)), cCpu = Median(c.Select(x => x.Cpu));
        Console.WriteLine($"streamed events/s, {Events} deltas per stream, one stream at a time, {rounds} rounds of {seconds}s:");
        foreach (var r in readers)
        {
            double rate = Median(rates[r.Name].Select(x => x.Rate)), cpu = Median(rates[r.Name].Select(x => x.Cpu));
            Console.WriteLine($"  {r.Name,-28} {rate,10:F0} events/s   client CPU {cpu,6:F0} ns/event   C#/C: {rate / cRate:F2} in events/s, {cpu / cCpu:F2} in CPU per event");
        }
        Console.WriteLine($"  {"C, hfi's I/O thread",-28} {cRate,10:F0} events/s   client CPU {cCpu,6:F0} ns/event");
        return 0;
    }

    private static (double Rate, double Cpu) Measure(TimeSpan d, Func<int> stream)
    {
        var process = Process.GetCurrentProcess();
        TimeSpan cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long events = 0;
        while (clock.Elapsed < d)
            events += stream();
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds * 1e6;
        return (events / clock.Elapsed.TotalSeconds, cpu / Math.Max(1, events));
    }

    private static async Task<(double Rate, double Cpu)> MeasureAsync(TimeSpan d, Func<Task<int>> stream)
    {
        var process = Process.GetCurrentProcess();
        TimeSpan cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long events = 0;
        while (clock.Elapsed < d)
            events += await stream();
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds * 1e6;
        return (events / clock.Elapsed.TotalSeconds, cpu / Math.Max(1, events));
    }

    private static (double Rate, double Cpu) CRate(string url, TimeSpan d)
    {
        string bin = Environment.GetEnvironmentVariable("HFI_BENCH")
                     ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../../build/bench/hfi-bench"));
        var start = new ProcessStartInfo(bin) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "stream", ((int)Math.Ceiling(d.TotalSeconds)).ToString(), "1", url, "thread" })
            start.ArgumentList.Add(a);
        using Process p = Process.Start(start) ?? throw new InvalidOperationException("hfi-bench did not start (set HFI_BENCH)");
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        using JsonDocument line = JsonDocument.Parse(output);
        double req = line.RootElement.GetProperty("req_per_s").GetDouble();
        double units = line.RootElement.GetProperty("units_per_s").GetDouble();
        double cpuPerReq = line.RootElement.GetProperty("cpu_us_per_req").GetDouble();
        return (units, cpuPerReq * 1000.0 * req / units);
    }

    private static double Median(IEnumerable<double> xs)
    {
        double[] sorted = xs.OrderBy(x => x).ToArray();
        return sorted[sorted.Length / 2];
    }
}
