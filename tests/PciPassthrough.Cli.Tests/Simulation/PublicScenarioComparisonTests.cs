using System.Diagnostics;
using PciPassthrough.Testing.Scenarios;

namespace PciPassthrough.Cli.Tests.Simulation;

/// <summary>
/// Issue 5: every public scenario through the command line, compared with the reference results by the published
/// comparison tool (<c>../shared/scenarios/compare.py</c>, scenario-format §8). Where the shared directory is not next
/// to the repository, the copies in <c>tests/scenarios/public</c> are compared by the same rules in C#.
/// </summary>
public sealed class PublicScenarioComparisonTests : IDisposable
{
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("pcictl-public-");

    public void Dispose() => _out.Delete(recursive: true);

    [Fact]
    public void SIM1_EveryPublicScenario_MatchesItsExpectedResult()
    {
        var shared = Path.GetFullPath(Path.Combine(ScenarioFiles.Root, "..", "..", "..", "shared", "scenarios"));
        var compareTool = Path.Combine(shared, "compare.py");
        var source = File.Exists(compareTool) ? shared : Path.Combine(ScenarioFiles.Root, "public");
        var scenarios = Directory.GetFiles(source, "*.json").Where(f => !f.EndsWith(".expected.json", StringComparison.Ordinal)).Order().ToList();
        scenarios.Count.ShouldBeGreaterThan(50);

        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var status = Program.BuildRootCommand().Parse(["simulate", .. scenarios, "--out-dir", _out.FullName])
            .Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        status.ShouldBe(0, stderr.ToString());

        if (File.Exists(compareTool))
        {
            var (exit, report) = RunPython(compareTool, shared, _out.FullName);
            exit.ShouldBe(0, report);
            report.TrimEnd().Split('\n')[^1].ShouldBe($"{scenarios.Count} passed, 0 failed", report);
            return;
        }

        var failures = scenarios.Select(scenario => Path.GetFileName(scenario)[..^".json".Length])
            .Select(name => ScenarioResultComparer.Compare(
                File.ReadAllBytes(Path.Combine(source, name + ".expected.json")),
                File.ReadAllBytes(Path.Combine(_out.FullName, name + ".out.json"))) is { } difference ? $"{name}: {difference}" : null)
            .OfType<string>().ToList();
        failures.ShouldBeEmpty();
    }

    private static (int Exit, string Output) RunPython(string tool, string expected, string actual)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[tool, expected, actual])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
