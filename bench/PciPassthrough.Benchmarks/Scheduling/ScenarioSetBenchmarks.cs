using System.Buffers;
using System.Diagnostics;
using System.Runtime;
using BenchmarkDotNet.Attributes;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Benchmarks.Scheduling;

/// <summary>
/// Issue 5 target: simulating the public scenario set (<c>tests/scenarios/public</c>) under 1 ms per scenario on average,
/// excluding process start. The files are read once; each operation is what <c>pcictl simulate</c> does per scenario:
/// parse the JSON, run the engine (Zed), write the result JSON
/// into one reused buffer. <see cref="Setup"/> first runs the set until the JIT is done with it (process start
/// excluded means JIT warm-up excluded too).
/// </summary>
[MemoryDiagnoser]
public class ScenarioSetBenchmarks
{
    private const string PublicScenarios = "tests/scenarios/public";

    /// <summary>How many scenarios the public set holds; <see cref="Setup"/> refuses to measure another set.</summary>
    private const int PublicScenarioCount = 66;

    private readonly ArrayBufferWriter<byte> _output = new();
    private byte[][] _scenarios = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scenarios = ReadPublicSet();
        WarmUp(_scenarios, _output);
    }

    /// <summary>The mean BenchmarkDotNet reports is per scenario (one invocation runs the whole set).</summary>
    [Benchmark(OperationsPerInvoke = PublicScenarioCount)]
    public int SimulatePublicSet() => SimulateAll(_scenarios, _output);

    /// <summary>The public scenario files, in ordinal order of their names.</summary>
    public static byte[][] ReadPublicSet()
    {
        byte[][] scenarios = [.. Directory.GetFiles(RepositoryPath(PublicScenarios), "*.json")
            .Where(path => !path.EndsWith(".expected.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)];
        return scenarios.Length == PublicScenarioCount ? scenarios : throw new InvalidOperationException(
            $"{PublicScenarios} holds {scenarios.Length} scenarios; the per-scenario mean assumes {PublicScenarioCount}.");
    }

    /// <summary>
    /// Runs the set until tiered JIT is done with it: three passes in a row that compile no method, at most 3 minutes.
    /// Each scenario walks its own rarely used paths, so tier-1 (with dynamic PGO) arrives only after ~100 passes on a
    /// loaded machine; a short job's few warm-up invocations would measure tier-0 code (4–6 ms per scenario instead of
    /// ~1 ms at load 29).
    /// </summary>
    public static int WarmUp(byte[][] scenarios, ArrayBufferWriter<byte> output)
    {
        var stopwatch = Stopwatch.StartNew();
        var (passes, quiet) = (0, 0);
        while (quiet < 3 && stopwatch.Elapsed < TimeSpan.FromMinutes(3))
        {
            var compiled = JitInfo.GetCompiledMethodCount();
            SimulateAll(scenarios, output);
            quiet = JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
            passes++;
        }

        return passes;
    }

    /// <summary>Parses, runs and writes every scenario into <paramref name="output"/>, reused for all results as
    /// <c>pcictl simulate</c> does; returns the bytes written.</summary>
    public static int SimulateAll(byte[][] scenarios, ArrayBufferWriter<byte> output)
    {
        var written = 0;
        foreach (var scenario in scenarios)
        {
            output.ResetWrittenCount();
            ScenarioResultWriter.Write(output, ScenarioRunner.Run(ScenarioReader.Read(scenario)));
            written += output.WrittenCount;
        }

        return written;
    }

    private static string RepositoryPath(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
