using System.Net;
using System.Net.Sockets;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary><c>pcictl serve</c> options that cannot work stop the start with one line naming the option, the value
/// and what would do, and an exit code: no stack trace, and never a controller on a port nobody asked for.</summary>
public sealed class ServeStartProblemTests
{
    /// <summary>A data directory no test creates: a refused start must not create it either.</summary>
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"pcictl-serve-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("nonsense")] // Kestrel would listen on port 80 of every interface
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:")]
    [InlineData("::1:8780")] // an IPv6 address needs brackets
    public void BadListen_ExitsTwoNamingTheValueAndTheForm(string listen)
    {
        var (exitCode, _, error) = HostCommandRunner.Run("serve", "--listen", listen, "--data-dir", _dataDirectory);

        exitCode.ShouldBe(2);
        error.ReplaceLineEndings("\n").Split('\n')[0].ShouldBe($"--listen '{listen}': expected HOST:PORT with a port from 0 to "
            + "65535, e.g. 127.0.0.1:8780, 0.0.0.0:8780 (every interface) or [::1]:8780; port 0 picks a free one.");
        Directory.Exists(_dataDirectory).ShouldBeFalse();
    }

    [Theory]
    [InlineData("127.0.0.1:0")]
    [InlineData("[::1]:8780")]
    [InlineData("0.0.0.0:8780")]
    [InlineData("localhost:8780")]
    public void GoodListen_Parses(string listen) =>
        Program.BuildRootCommand().Parse(["serve", "--listen", listen]).Errors.ShouldBeEmpty();

    [Fact]
    public void ListenAddressTaken_ExitsTwoSayingSo()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var listen = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (exitCode, output, error) = HostCommandRunner.Run("serve", "--listen", listen, "--data-dir", _dataDirectory);

        exitCode.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldBe($"pcictl serve: --listen {listen}: address already in use (is another 'pcictl serve' running?); "
            + "choose another port with --listen HOST:PORT\n", StringCompareShould.IgnoreLineEndings);
    }

    [Fact]
    public void DataDirThatCannotBeCreated_ExitsTwoNamingIt()
    {
        var file = Path.GetTempFileName();
        var dataDir = Path.Combine(file, "db");

        var (exitCode, _, error) = HostCommandRunner.Run("serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir);
        File.Delete(file);

        exitCode.ShouldBe(2);
        error.ShouldStartWith($"pcictl serve: --data-dir {dataDir}: cannot create it (");
        error.ShouldEndWith("); give a directory this user may write.\n", Case.Sensitive);
    }

    [Fact]
    public void DatabaseThatIsNoConnectionString_ExitsTwoSayingWhatIsExpected()
    {
        var (exitCode, _, error) = HostCommandRunner.Run("serve", "--listen", "127.0.0.1:0", "--database", "db1.example.org");

        exitCode.ShouldBe(2);
        error.ShouldStartWith("pcictl serve: --database: ");
        error.ShouldEndWith(" Expected Host=HOST;Database=NAME;Username=USER[;Password=…] for PostgreSQL.\n", Case.Sensitive);
    }

    [Fact]
    public void PostgresThatDoesNotAnswer_ExitsThreeNamingServerAndReason()
    {
        var (exitCode, _, error) = HostCommandRunner.Run("serve", "--listen", "127.0.0.1:0",
            "--database", "Host=127.0.0.1;Port=1;Database=placement;Username=placement;Timeout=2");

        exitCode.ShouldBe(3);
        error.ShouldBe("pcictl serve: cannot open the database (PostgreSQL 127.0.0.1:1, database placement, user placement): "
            + "Failed to connect to 127.0.0.1:1\n", StringCompareShould.IgnoreLineEndings);
    }
}
