using System.Buffers;
using BenchmarkDotNet.Attributes;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Benchmarks.Scheduling;

/// <summary>
/// Issue 5 target: simulating the public scenario set (<c>tests/scenarios/public</c>) under 1 ms per scenario on average,
/// excluding process start. The files are read once; each operation is what <c>pcictl simulate</c> does per scenario:
/// parse the JSON, run the engine (Zed), write the result JSON
/// into one reused buffer.
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
        _scenarios = [.. Directory.GetFiles(RepositoryPath(PublicScenarios), "*.json")
            .Where(path => !path.EndsWith(".expected.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)];
        if (_scenarios.Length != PublicScenarioCount)
        {
            throw new InvalidOperationException(
                $"{PublicScenarios} holds {_scenarios.Length} scenarios; the per-scenario mean assumes {PublicScenarioCount}.");
        }
    }

    /// <summary>The mean BenchmarkDotNet reports is per scenario (one invocation runs the whole set).</summary>
    [Benchmark(OperationsPerInvoke = PublicScenarioCount)]
    public int SimulatePublicSet()
    {
        var written = 0;
        foreach (var scenario in _scenarios)
        {
            _output.ResetWrittenCount(); // one buffer for all results, as pcictl simulate does
            ScenarioResultWriter.Write(_output, ScenarioRunner.Run(ScenarioReader.Read(scenario)));
            written += _output.WrittenCount;
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
