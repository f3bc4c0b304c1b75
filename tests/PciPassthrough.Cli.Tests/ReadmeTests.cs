using System.CommandLine;

namespace PciPassthrough.Cli.Tests;

/// <summary>The README's tour shows real output: these keep it true when messages or examples change.</summary>
public sealed class ReadmeTests
{
    private static readonly string _root = RepositoryRoot();
    private static readonly string[] _readme = File.ReadAllLines(Path.Combine(_root, "README.md"));

    [Fact]
    public void Readme_OpensWithTheTwoCommandsCiRuns()
    {
        var firstBlock = _readme.SkipWhile(line => !line.StartsWith("```", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(line => !line.StartsWith("```", StringComparison.Ordinal)).ToList();

        firstBlock.Select(line => line.Split('#')[0].Trim()).ShouldBe(
            ["./pcictl serve --demo", "dotnet test PciPassthrough.slnx"]);
        File.ReadAllText(Path.Combine(_root, ".ci", "run")).ShouldContain("dotnet test PciPassthrough.slnx");
    }

    [Fact]
    public void Readme_ValidExampleOutput_IsWhatTheCommandPrints()
    {
        var shown = _readme.SkipWhile(line => line != "$ ./pcictl config check examples/nova.conf").Skip(1)
            .TakeWhile(line => !line.StartsWith("```", StringComparison.Ordinal)).ToList();

        var printed = Check("nova.conf");

        shown.ShouldNotBeEmpty();
        shown.ShouldBe(printed);
    }

    [Fact]
    public void Readme_BrokenExampleProblems_AreWhatTheCommandPrints()
    {
        var shown = _readme.Where(line => line.StartsWith("examples/broken-nova.conf", StringComparison.Ordinal)).ToList();

        var printed = Check("broken-nova.conf");

        shown.Count.ShouldBeGreaterThan(2);
        shown.ShouldBeSubsetOf(printed);
    }

    /// <summary>The output for <c>./pcictl config check examples/NAME</c>.</summary>
    private static List<string> Check(string name)
    {
        using var output = new StringWriter();
        Program.Run(["config", "check", Path.Combine(_root, "examples", name)],
            new InvocationConfiguration { Output = output, Error = TextWriter.Null });
        return [.. output.ToString().Replace(Path.Combine(_root, "examples"), "examples", StringComparison.Ordinal)
            .Split(Environment.NewLine).SkipLast(1)];
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "PciPassthrough.slnx")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("PciPassthrough.slnx not found above the tests");
        }

        return directory.FullName;
    }
}
