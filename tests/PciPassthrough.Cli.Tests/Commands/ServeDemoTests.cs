namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>
/// The README's walk-through against a real <c>pcictl serve --demo</c> on 127.0.0.1 (port 0): the demo agents
/// describe examples/fleet and this machine, and the client verbs boot, show, move and refuse servers.
/// </summary>
public sealed class ServeDemoTests : IAsyncLifetime
{
    private readonly DemoController _demo = new();

    public ValueTask InitializeAsync() => _demo.InitializeAsync();

    public ValueTask DisposeAsync() => _demo.DisposeAsync();

    private string Printed() => _demo.Printed();

    private (int ExitCode, string Output, string Error) Pcictl(params string[] args) => _demo.Pcictl(args);

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
}
