using System.Text.RegularExpressions;
using PciPassthrough.Server.Tests;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>
/// The README's walk-through against a real <c>pcictl serve --demo</c> on 127.0.0.1 (port 0): the demo agents
/// describe examples/fleet and this machine, and the client verbs boot, show, move and refuse servers. Once on the
/// embedded SQLite file and once on a scratch PostgreSQL database, as the issue asks of the walk-through.
/// </summary>
public abstract partial class ServeDemoTests : IAsyncLifetime
{
    private DemoController? _demo;

    /// <summary>What <c>serve</c> is given besides the demo options: nothing, or <c>--database CONN</c>.</summary>
    protected abstract Task<string[]> DatabaseAsync();

    public async ValueTask InitializeAsync()
    {
        _demo = new DemoController(await DatabaseAsync());
        await _demo.InitializeAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private string Printed() => _demo!.Printed();

    private (int ExitCode, string Output, string Error) Pcictl(params string[] args) => _demo!.Pcictl(args);

    [Fact]
    public void Demo_DescribesTheFleetAndSeedsFlavors()
    {
        var hosts = Pcictl("host", "list");
        var flavors = Pcictl("flavor", "list");

        Printed().ShouldContain("flavors m1.small, vf.x710, gpu.a100, gpu.a100x4; images cirros, cirros-viommu");
        hosts.ExitCode.ShouldBe(0, hosts.Error);
        hosts.Output.ShouldContain("\ncmp-gpu    up     true     2      2 ");
        hosts.Output.ShouldContain("\ncmp-sriov  up     true     10     10 ");
        flavors.Output.ShouldContain("gpu.a100    4      8192    0        pci_passthrough:alias=a100:1, hw:numa_nodes=1\n");
    }

    [Fact]
    public void Walkthrough_BootShowXmlDelete()
    {
        var create = Pcictl("server", "create", "walk-1", "--flavor", "gpu.a100", "--image", "cirros");
        var show = Pcictl("server", "show", "walk-1");
        var xml = Pcictl("server", "domain-xml", "walk-1");
        var delete = Pcictl("server", "delete", "walk-1");

        create.ExitCode.ShouldBe(0, create.Error);
        create.Output.ShouldContain("host:       cmp-gpu\n");
        show.Output.ShouldMatch(@"\n0000:(3b|d8):00\.0  10de       20b0        type-PCI  [01]          -            0        a100   -\n");
        xml.ExitCode.ShouldBe(0);
        xml.Output.ShouldStartWith("<devices>\n  <hostdev mode=\"subsystem\" type=\"pci\" managed=\"yes\">");
        (delete.ExitCode, delete.Output).ShouldBe((0, "deleted server walk-1\n"));
        Pcictl("server", "show", "walk-1").ExitCode.ShouldBe(1);
    }

    [Fact]
    public void TooBigServer_IsRefusedWithEveryHostAndItsReason()
    {
        var (exitCode, output, error) = Pcictl("server", "create", "too-big", "--flavor", "gpu.a100x4");

        exitCode.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ShouldStartWith("pcictl: refused: no valid host among ");
        error.ShouldContain("\ncmp-gpu    PciPassthroughFilter  PciPassthroughFilter: needs 4 × alias a100");
        foreach (var host in new[] { "cmp-flat", "cmp-sriov" })
        {
            error.ShouldContain($"\n{host} ");
        }
    }

    [Fact]
    public void SriovPort_BootThenResizeAndConfirm()
    {
        Pcictl("port", "create", "walk-vf", "--vnic-type", "direct", "--physical-network", "physnet1").ExitCode.ShouldBe(0);

        var create = Pcictl("server", "create", "walk-2", "--flavor", "m1.small", "--port", "walk-vf");
        var resize = Pcictl("server", "resize", "walk-2", "--flavor", "vf.x710");
        var confirm = Pcictl("server", "confirm-resize", "walk-2", "--format", "json");

        create.ExitCode.ShouldBe(0, create.Error);
        create.Output.ShouldContain("type-VF");
        resize.ExitCode.ShouldBe(0, resize.Error);
        resize.Output.ShouldContain("status:      VERIFY_RESIZE\n");
        confirm.ExitCode.ShouldBe(0, confirm.Error);
        confirm.Output.ShouldContain("\"status\": \"ACTIVE\"");
        Pcictl("server", "revert-resize", "walk-2").ExitCode.ShouldBe(1);
    }

    [Fact]
    public void Member_SeesOnlyItsProjectsServers()
    {
        Pcictl("server", "create", "alice-vm", "--flavor", "m1.small", "--auth-token", "alice").ExitCode.ShouldBe(0);

        Pcictl("server", "list", "--auth-token", "bob").Output.ShouldBe("no servers\n");
        Pcictl("server", "list", "--auth-token", "alice").Output.ShouldContain(" alice-vm ");
        Pcictl("host", "list", "--auth-token", "alice").ExitCode.ShouldBe(1);
    }

    [Fact]
    public void Readme_WalkThrough_RunsAsWritten()
    {
        foreach (var (command, comment) in ReadmeWalkThrough())
        {
            var (exitCode, output, error) = Pcictl(command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);

            exitCode.ShouldBe(comment.StartsWith("exit 1", StringComparison.Ordinal) ? 1 : 0, $"{command}\n{output}{error}");
            if (PlacedOn().Match(comment) is { Success: true } placed)
            {
                output.ShouldMatch($@"\nhost: +{Regex.Escape(placed.Groups[1].Value)}\n", command);
                output.ShouldContain(placed.Groups[2].Value, customMessage: command);
            }
        }
    }

    /// <summary>The commands of the README's walk-through block, each with its comment.</summary>
    private static List<(string Command, string Comment)> ReadmeWalkThrough()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "README.md")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("README.md not found above the tests");
        }

        var lines = File.ReadAllLines(Path.Combine(directory.FullName, "README.md"))
            .SkipWhile(line => line != "## A walk-through against the demo controller")
            .SkipWhile(line => line != "```sh").Skip(1)
            .TakeWhile(line => line != "```")
            .Select(line => line.Split('#', 2))
            .Select(parts => (parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : ""))
            .ToList();
        lines.Count.ShouldBeGreaterThan(5);
        lines.ShouldAllBe(line => line.Item1.StartsWith("./pcictl ", StringComparison.Ordinal));
        return lines;
    }

    [GeneratedRegex(@"^placed on (\S+) with (\S+)")]
    private static partial Regex PlacedOn();
}

/// <summary>The walk-through on the default: the SQLite file under <c>--data-dir</c>.</summary>
public sealed class SqliteServeDemoTests : ServeDemoTests
{
    protected override Task<string[]> DatabaseAsync() => Task.FromResult<string[]>([]);
}

/// <summary>The walk-through with <c>--database</c> naming a scratch PostgreSQL database (skipped, saying why,
/// without <see cref="PostgresTestDatabase.Variable"/>).</summary>
public sealed class PostgresServeDemoTests : ServeDemoTests
{
    private PostgresTestDatabase? _database;

    protected override async Task<string[]> DatabaseAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        return ["--database", _database.ConnectionString];
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
