using System.Buffers;
using System.Diagnostics;
using System.Globalization;

namespace PciPassthrough.Benchmarks.Scheduling;

/// <summary>
/// The public scenario set in a stopwatch loop, for a busy machine where BenchmarkDotNet's wall-clock means say little:
/// exact allocated bytes and collection counts per scenario, and process CPU time (GC threads included) per scenario,
/// best of the rounds. Run: <c>dotnet run -c Release -- scenario-set [ROUNDS] [PASSES-PER-ROUND]</c>.
/// </summary>
public static class ScenarioSetLoop
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var passes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var scenarios = ScenarioSetBenchmarks.ReadPublicSet();
        var output = new ArrayBufferWriter<byte>();
        Console.WriteLine($"warm-up: {ScenarioSetBenchmarks.WarmUp(scenarios, output)} passes");

        var perScenario = (double)(scenarios.Length * passes);
        var bestCpu = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var gcs = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2));
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            for (var pass = 0; pass < passes; pass++)
            {
                ScenarioSetBenchmarks.SimulateAll(scenarios, output);
            }

            var wall = stopwatch.Elapsed.TotalMilliseconds / perScenario;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / perScenario;
            bestCpu = Math.Min(bestCpu, cpuMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {(GC.GetAllocatedBytesForCurrentThread() - allocated) / perScenario / 1024:F1} KB/scenario, " +
                $"gen0/1/2 per 1,000: {(GC.CollectionCount(0) - gcs.Gen0) * 1000 / perScenario:F0}/" +
                $"{(GC.CollectionCount(1) - gcs.Gen1) * 1000 / perScenario:F0}/{(GC.CollectionCount(2) - gcs.Gen2) * 1000 / perScenario:F0}, " +
                $"CPU {cpuMs:F3} ms/scenario, wall {wall:F3} ms/scenario"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best CPU {bestCpu:F3} ms/scenario"));
        return 0;
    }
}
