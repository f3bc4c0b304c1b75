namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>A count that is no number, or out of range, is a usage error (exit 2) naming the option, the value and
/// what is valid, before anything is read or sent.</summary>
public sealed class WholeNumberOptionTests
{
    [Theory]
    [InlineData("--ram 'abc': expected a whole number at least 1, e.g. --ram 1.", "flavor", "create", "f", "--vcpus", "1", "--ram", "abc")]
    [InlineData("--vcpus '0': expected a whole number at least 1, e.g. --vcpus 1.", "flavor", "create", "f", "--vcpus", "0", "--ram", "512")]
    [InlineData("--disk '-1': expected a whole number at least 0, e.g. --disk 1.", "flavor", "create", "f", "--vcpus", "1", "--ram", "512", "--disk", "-1")]
    [InlineData("--count 'many': expected a whole number from 1 to 100000, e.g. --count 1.", "capacity", "--flavor", "f", "--count", "many")]
    [InlineData("--count '100001': expected a whole number from 1 to 100000, e.g. --count 1.", "capacity", "--flavor", "f", "--count", "100001")]
    [InlineData("--interval '1.5': expected a whole number at least 1, e.g. --interval 1.", "agent", "--controller", "http://127.0.0.1:1", "--config", "nova.conf", "--interval", "1.5")]
    [InlineData("--heartbeat-interval '0': expected a whole number at least 1, e.g. --heartbeat-interval 1.", "serve", "--heartbeat-interval", "0")]
    public void BadCount_ExitsTwoNamingOptionValueAndRange(string message, params string[] args)
    {
        var (exitCode, _, error) = HostCommandRunner.Run(args);

        exitCode.ShouldBe(2);
        error.ReplaceLineEndings("\n").Split('\n')[0].ShouldBe(message);
    }

    [Fact]
    public void GoodCounts_AreSent()
    {
        var result = Program.BuildRootCommand().Parse(["flavor", "create", "f", "--vcpus", "2", "--ram", "512", "--disk", "0"]);

        result.Errors.ShouldBeEmpty();
        result.GetValue<int>("--vcpus").ShouldBe(2);
        result.GetValue<int>("--disk").ShouldBe(0);
        result.GetValue<int>("--swap").ShouldBe(0);
    }
}
