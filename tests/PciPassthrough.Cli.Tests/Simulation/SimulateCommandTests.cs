using System.CommandLine;
using System.Text.Json;
using PciPassthrough.Cli.Commands;

namespace PciPassthrough.Cli.Tests.Simulation;

public sealed class SimulateCommandTests : IDisposable
{
    private const string Minimal = """
        {"name": "mini", "hosts": [{"name": "h", "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 2048}]}],
         "requests": [{"flavor": {"vcpus": 1, "memory_mb": 512}}]}
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("pcictl-simulate-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void SIM1_OneScenarioWithoutOutDir_WritesOnlyTheResultToStdout()
    {
        var (status, stdout, stderr) = Invoke("simulate", Scenario("a.json", Minimal));

        status.ShouldBe(0);
        stderr.ShouldBeEmpty();
        using var result = JsonDocument.Parse(stdout);
        result.RootElement.GetProperty("scenario").GetString().ShouldBe("mini");
    }

    [Fact]
    public void SIM1_OutDir_IsCreatedAndGetsXOutJsonNamedAfterTheFile()
    {
        var outDir = Path.Combine(_dir.FullName, "out", "nested");

        var (status, stdout, _) = Invoke("simulate", Scenario("x.v2.json", Minimal), Scenario("b.json", Minimal), "--out-dir", outDir);

        status.ShouldBe(0);
        stdout.ShouldBeEmpty();
        Directory.GetFiles(outDir).Select(Path.GetFileName).Order().ShouldBe(["b.out.json", "x.v2.out.json"]);
    }

    [Fact]
    public void SIM1_SeveralScenariosWithoutOutDir_IsAUsageErrorAndNothingRuns()
    {
        var (status, stdout, stderr) = Invoke("simulate", Scenario("a.json", Minimal), Scenario("b.json", Minimal));

        status.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain("--out-dir");
    }

    [Fact]
    public void SIM2_OutDirThatCannotBeCreated_IsAUsageErrorNamingIt()
    {
        var file = Scenario("a.json", Minimal);
        var outDir = Path.Combine(file, "out");

        var (status, stdout, stderr) = Invoke("simulate", file, "--out-dir", outDir);

        status.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldStartWith($"pcictl simulate: --out-dir {outDir}: cannot create it (");
        stderr.ShouldContain("); give a directory this user may write. Usage: pcictl simulate ", Case.Sensitive);
    }

    [Theory]
    [InlineData("--release 'kilo': expected one of zed, latest.", "--release", "kilo")]
    [InlineData("pcictl simulate: unknown option --bogus. Usage: pcictl simulate ", "--bogus")]
    [InlineData("missing value for --out-dir DIR: write the result of path/X.json to DIR/X.out.json", "--out-dir")]
    public void SIM2_UsageErrors_ExitWith2(string expected, params string[] extra)
    {
        var (status, stdout, stderr) = Invoke(["simulate", Scenario("a.json", Minimal), .. extra]);

        status.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldStartWith(expected, Case.Sensitive);
    }

    [Fact]
    public void SIM1_Explain_PrintsATableAndLeavesTheJsonAlone()
    {
        var outDir = Path.Combine(_dir.FullName, "out");
        var plain = Path.Combine(_dir.FullName, "plain");
        var scenario = Scenario("a.json", Minimal);
        Invoke("simulate", scenario, "--out-dir", plain);

        var (status, stdout, _) = Invoke("simulate", scenario, "--out-dir", outDir, "--explain");

        status.ShouldBe(0);
        stdout.ShouldContain("#0 boot req-0: placed on h");
        File.ReadAllText(Path.Combine(outDir, "a.out.json")).ShouldBe(File.ReadAllText(Path.Combine(plain, "a.out.json")));
    }

    [Fact]
    public void SIM2_InvalidInputs_AreNamedOnStderrAndTheOthersStillWritten()
    {
        var outDir = Path.Combine(_dir.FullName, "out");
        var bad = Scenario("bad.json", """{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": "4G"}]}]}""");
        var notJson = Scenario("text.json", "hosts:");
        var missing = Path.Combine(_dir.FullName, "missing.json");

        var (status, _, stderr) = Invoke("simulate", bad, notJson, missing, Scenario("good.json", Minimal), "--out-dir", outDir);

        status.ShouldBe(2);
        stderr.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldSatisfyAllConditions(
            lines => lines.Length.ShouldBe(3),
            lines => lines[0].ShouldBe($"{bad}: hosts[0].numa_cells[0].memory_mb: expected an integer, got \"4G\""),
            lines => lines[1].ShouldStartWith($"{notJson}: $: expected JSON text"),
            lines => lines[2].ShouldStartWith($"{missing}: cannot be read"));
        Directory.GetFiles(outDir).Select(Path.GetFileName).ShouldBe(["good.out.json"]);
    }

    [Fact]
    public void SIM2_ABootOfAPlacedName_MakesTheScenarioInvalid()
    {
        var twice = Scenario("twice.json", """
            {"hosts": [{"name": "h", "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 2048}]}],
             "requests": [{"name": "vm", "flavor": {"vcpus": 1, "memory_mb": 1}}, {"name": "vm", "flavor": {"vcpus": 1, "memory_mb": 1}}]}
            """);

        var (status, stdout, stderr) = Invoke("simulate", twice);

        status.ShouldBe(2);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain("requests[1].name");
    }

    [Theory]
    [InlineData("dir/X.json", "X.out.json")]
    [InlineData("a.expected.json", "a.expected.out.json")]
    [InlineData("scenario", "scenario.out.json")]
    public void SIM1_OutputName_DropsTheLastJsonExtension(string path, string expected) =>
        SimulateCommand.OutputName(path).ShouldBe(expected);

    private string Scenario(string name, string json)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static (int Status, string Stdout, string Stderr) Invoke(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var status = Program.Run(args, new InvocationConfiguration { Output = stdout, Error = stderr });
        return (status, stdout.ToString(), stderr.ToString());
    }
}
