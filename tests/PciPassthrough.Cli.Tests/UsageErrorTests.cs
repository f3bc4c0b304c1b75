using System.CommandLine;
using PciPassthrough.Cli.Tests.Commands;

namespace PciPassthrough.Cli.Tests;

/// <summary>A wrong command line exits 2 with one line per mistake naming the option, the value and what is valid,
/// then where the verb's help is: never the whole help above the mistake.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("port create", "p1 --vnic-type sriov", "--vnic-type 'sriov': expected one of normal, direct, direct-physical, macvtap, remote-managed, vdpa.")]
    [InlineData("host discover", "--format yaml", "--format 'yaml': expected one of tree, table, json.")]
    [InlineData("server list", "--format yaml", "--format 'yaml': expected one of table, json.")]
    [InlineData("port create", "p1 --numa-affinity-policy strict", "--numa-affinity-policy 'strict': expected one of required, socket, preferred, legacy.")]
    public void WrongChoice_NamesTheOptionTheValueAndTheChoices(string verb, string arguments, string expected) =>
        ShouldBeOneMistake(verb, arguments, expected);

    [Theory]
    [InlineData("host discover", "")]
    [InlineData("host check", "")]
    [InlineData("config check", "nova.conf")]
    [InlineData("agent", "--controller http://127.0.0.1:8780 --config nova.conf")]
    public void RootThatIsNoDirectory_IsAUsageErrorNotAnEmptyHost(string verb, string arguments)
    {
        var nowhere = Path.Combine(Path.GetTempPath(), $"pcictl-nowhere-{Guid.NewGuid():N}");

        ShouldBeOneMistake(verb, $"{arguments} --root {nowhere}", $"--root {nowhere}: no such directory; expected the "
            + "directory that holds a host's sys/ (/ on the host itself, or a copy of one).");
    }

    [Fact]
    public void GroupWithoutItsVerb_ListsTheVerbs()
    {
        var (exitCode, output, error) = HostCommandRunner.Run("server");

        exitCode.ShouldBe(2);
        error.ShouldStartWith("Required command was not provided.");
        output.ShouldContain("  create <NAME>");
    }

    [Theory]
    [InlineData("port create", "p1 --trusted=maybe", "--trusted 'maybe': expected true or false (--trusted alone means true).")]
    [InlineData("port create", "p1 --trusted maybe", "--trusted 'maybe': expected true or false (--trusted alone means true).")]
    [InlineData("serve", "--enforce-scope fals", "--enforce-scope 'fals': expected true or false (--enforce-scope alone means true).")]
    [InlineData("serve", "--demo=yes", "--demo 'yes': expected true or false (--demo alone means true).")]
    [InlineData("agent", "--controller http://127.0.0.1:8780 --config nova.conf --once:1",
        "--once '1': expected true or false (--once alone means true).")]
    [InlineData("simulate", "a.json --explain=1", "--explain '1': expected true or false (--explain alone means true).")]
    public void TrueFalseOption_OtherValue_NamesTheOptionTheValueAndTrueOrFalse(string verb, string arguments, string expected) =>
        ShouldBeOneMistake(verb, arguments, expected);

    /// <summary>The parser leaves such a value unmatched, or (simulate) hands it to the scenarios, without naming the
    /// option.</summary>
    [Fact]
    public void EveryTrueFalseOption_NamesAValueThatIsNeither()
    {
        var flags = Leaves(Program.BuildRootCommand(), "")
            .SelectMany(verb => verb.Command.Options.Where(o => o.ValueType == typeof(bool) && o.Arity.MaximumNumberOfValues == 1)
                .Select(option => (verb.Path, option.Name)))
            .ToList();

        flags.Count.ShouldBeGreaterThanOrEqualTo(8);
        foreach (var (path, name) in flags)
        {
            var (exitCode, output, error) = HostCommandRunner.Run([.. path.Split(' '), $"{name}=maybe"]);

            exitCode.ShouldBe(2, $"{path} {name}");
            output.ShouldBeEmpty($"{path} {name}");
            error.ShouldContain($"{name} 'maybe': expected true or false", Case.Sensitive, $"{path} {name}");
            error.ShouldNotContain("Unrecognized command or argument 'maybe'", Case.Sensitive, $"{path} {name}");
        }
    }

    [Theory]
    [InlineData("nosuch", "pcictl: unknown verb 'nosuch'. See 'pcictl --help' for its verbs.")]
    [InlineData("nosuch vm1 --x", "pcictl: unknown verb 'nosuch'. See 'pcictl --help' for its verbs.")]
    [InlineData("sever list", "pcictl: unknown verb 'sever'; did you mean 'server'? See 'pcictl --help' for its verbs.")]
    [InlineData("Flavor list", "pcictl: unknown verb 'Flavor'; did you mean 'flavor'? See 'pcictl --help' for its verbs.")]
    [InlineData("serv", "pcictl: unknown verb 'serv'; did you mean 'serve'? See 'pcictl --help' for its verbs.")]
    [InlineData("server lst", "pcictl server: unknown verb 'lst'; did you mean 'list'? See 'pcictl server --help' for its verbs.")]
    [InlineData("config chek nova.conf", "pcictl config: unknown verb 'chek'; did you mean 'check'? See 'pcictl config --help' for its verbs.")]
    [InlineData("--frmat", "pcictl: unknown option '--frmat'. See 'pcictl --help' for its verbs.")]
    public void UnknownVerb_IsOneLineNamingItWithTheNearestVerbAndWhereTheVerbsAre(string arguments, string expected)
    {
        var (exitCode, output, error) = HostCommandRunner.Run(arguments.Split(' '));

        exitCode.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldBe(expected + Environment.NewLine);
    }

    [Theory]
    [InlineData("config check", "", "missing argument FILE: the nova.conf to check, e.g. /etc/nova/nova.conf or examples/nova.conf.")]
    [InlineData("server show", "", "missing argument SERVER: the server's id, or its name when it is unique, e.g. vm1.")]
    [InlineData("simulate", "--explain", "missing argument SCENARIO: scenario files (JSON, see ../shared/scenario-format.md), "
        + "e.g. tests/scenarios/public/policy-socket.json.")]
    [InlineData("server show", "vm1 --format", "missing value for --format table|json: how to print: 'table' for "
        + "people, 'json' for scripts (the controller's answer as is).")]
    [InlineData("flavor create", "f1 --vcpus 1", "missing option --ram N: guest memory in MiB.")]
    public void MissingArgumentOptionOrValue_IsNamedWithWhatItShouldBe(string verb, string arguments, string expected) =>
        ShouldBeOneMistake(verb, arguments, expected);

    /// <summary>Every verb that takes an argument names it when it is missing (the parser's own line names only the
    /// verb).</summary>
    [Fact]
    public void EveryVerb_NamesItsMissingArgument()
    {
        var verbs = Leaves(Program.BuildRootCommand(), "").Where(verb => verb.Command.Arguments.Any(a => a.Arity.MinimumNumberOfValues > 0)).ToList();

        verbs.Count.ShouldBeGreaterThan(10);
        foreach (var (path, command) in verbs)
        {
            var (exitCode, output, error) = HostCommandRunner.Run(path.Split(' '));

            exitCode.ShouldBe(2, path);
            output.ShouldBeEmpty(path);
            error.ShouldContain($"missing argument {command.Arguments[0].Name}: ", Case.Sensitive, path);
            error.ShouldNotContain("Required argument missing", Case.Sensitive, path);
            error.ShouldEndWith($"See 'pcictl {path} --help' for its options and examples.{Environment.NewLine}", Case.Sensitive, path);
        }
    }

    [Fact]
    public void MistypedOption_KeepsTheParsersSuggestionOnStderr()
    {
        var (exitCode, output, error) = HostCommandRunner.Run("server", "show", "vm1", "--formt", "json");

        exitCode.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "'--formt' was not matched. Did you mean one of the following?",
            "--format",
            "Unrecognized command or argument '--formt'.",
            "Unrecognized command or argument 'json'.",
            "See 'pcictl server show --help' for its options and examples.",
        ]);
    }

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string path) =>
        command.Subcommands.Count == 0
            ? [(path.TrimStart(), command)]
            : command.Subcommands.SelectMany(sub => Leaves(sub, $"{path} {sub.Name}"));

    private static void ShouldBeOneMistake(string verb, string arguments, string expected)
    {
        var (exitCode, output, error) = HostCommandRunner.Run($"{verb} {arguments}".Split(' ', StringSplitOptions.RemoveEmptyEntries));

        exitCode.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ShouldBe([expected, $"See 'pcictl {verb} --help' for its options and examples."]);
    }
}
