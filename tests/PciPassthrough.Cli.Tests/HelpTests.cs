using System.CommandLine;

namespace PciPassthrough.Cli.Tests;

/// <summary><c>pcictl VERB --help</c> teaches without the README: every verb shows an example and its exit codes.</summary>
public sealed class HelpTests
{
    public static TheoryData<string> Verbs() => [.. Leaves(Program.BuildRootCommand(), "")];

    [Theory]
    [MemberData(nameof(Verbs))]
    public void EveryVerb_ShowsAnExampleAndItsExitCodes(string verb)
    {
        var (exitCode, help) = Help(verb);

        exitCode.ShouldBe(0);
        help.ShouldContain("Example");
        help[help.IndexOf("Example", StringComparison.Ordinal)..].ShouldContain($"pcictl {verb}", Case.Sensitive);
        help.ShouldContain("Exit codes: 0 ", Case.Sensitive);
    }

    [Fact]
    public void Verbs_CoverEveryGroup() =>
        Verbs().Select(row => row.Data.Split(' ')[0]).Distinct().Order(StringComparer.Ordinal).ShouldBe(
            ["agent", "capacity", "config", "flavor", "host", "image", "port", "serve", "server", "simulate"]);

    private static IEnumerable<string> Leaves(Command command, string prefix) => command.Subcommands.Count == 0
        ? [prefix]
        : command.Subcommands.SelectMany(sub => Leaves(sub, prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}"));

    private static (int ExitCode, string Help) Help(string verb)
    {
        using var output = new StringWriter();
        var exitCode = Program.Run([.. verb.Split(' '), "--help"], new InvocationConfiguration { Output = output, Error = output });
        return (exitCode, output.ToString());
    }
}
