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

    /// <summary>3 means the same for every verb that talks to a controller: none answered, or it failed.</summary>
    [Theory]
    [MemberData(nameof(Verbs))]
    public void EveryVerbWithAController_SaysExit3IsNoController(string verb)
    {
        var command = Program.BuildRootCommand().Parse([.. verb.Split(' ')]).CommandResult.Command;
        var (_, help) = Help(verb);

        if (command.Options.Any(o => o.Name == "--controller"))
        {
            help.ShouldMatch(@"(?s)Exit codes: .*\b2 .*\b3 (\(--once\) )?no controller");
        }
    }

    public static TheoryData<string> Groups() => ["", "config", "host", "flavor", "image", "port", "server"];

    /// <summary>A listing stays one screen: details are in each verb's own help.</summary>
    [Theory]
    [MemberData(nameof(Groups))]
    public void EveryListing_ShowsOneLinePerSubcommand(string group)
    {
        var command = group.Length == 0 ? Program.BuildRootCommand() : Program.BuildRootCommand().Subcommands.Single(c => c.Name == group);
        var (exitCode, help) = Help(group);

        exitCode.ShouldBe(0);
        var listing = help[(help.IndexOf("Commands:\n", StringComparison.Ordinal) + "Commands:\n".Length)..]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        listing.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])
            .ShouldBe(command.Subcommands.Select(c => c.Name));
        foreach (var subcommand in command.Subcommands)
        {
            listing.ShouldContain(line => line.EndsWith(" " + SummaryHelpAction.Summary(subcommand.Description), StringComparison.Ordinal));
        }
    }

    /// <summary>The first line of a description is the summary a listing shows: one sentence, then a blank line.</summary>
    [Theory]
    [MemberData(nameof(Verbs))]
    public void EveryVerb_DescriptionStartsWithAOneLineSummary(string verb)
    {
        var lines = Program.BuildRootCommand().Parse([.. verb.Split(' ')]).CommandResult.Command.Description!.Split('\n');

        lines[0].ShouldEndWith(".");
        lines[0].Length.ShouldBeLessThanOrEqualTo(100, lines[0]);
        if (lines.Length > 1)
        {
            lines[1].ShouldBeEmpty();
        }
    }

    /// <summary>A newcomer's first page: what to run first, and what the exit codes mean.</summary>
    [Fact]
    public void Root_ShowsWhereToStartAndTheExitCodes()
    {
        var (exitCode, help) = Help("");

        exitCode.ShouldBe(0);
        help.ShouldContain("pcictl config check /etc/nova/nova.conf", Case.Sensitive);
        help.ShouldContain("pcictl serve --demo", Case.Sensitive);
        help.ShouldMatch(@"exit codes: 0 .*\b1 .*\n.*\b2 .*\b3 no controller");
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
        var exitCode = Program.Run([.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"],
            new InvocationConfiguration { Output = output, Error = output });
        return (exitCode, output.ToString());
    }
}
