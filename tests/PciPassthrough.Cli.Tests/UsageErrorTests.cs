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

    private static void ShouldBeOneMistake(string verb, string arguments, string expected)
    {
        var (exitCode, output, error) = HostCommandRunner.Run($"{verb} {arguments}".Split(' ', StringSplitOptions.RemoveEmptyEntries));

        exitCode.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ShouldBe([expected, $"See 'pcictl {verb} --help' for its options and examples."]);
    }
}
