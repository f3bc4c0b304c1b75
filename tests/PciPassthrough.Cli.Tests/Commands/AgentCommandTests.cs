using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using PciPassthrough.Server;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary><c>pcictl agent --once</c> against a real controller on 127.0.0.1 (tokens <c>admin</c> and
/// <c>alice:member@demo</c>), with the dual-socket SR-IOV fake host.</summary>
public sealed class AgentCommandTests : IAsyncLifetime
{
    private readonly FakeSysfs _host = FakeSysfsHosts.DualSocketSriov().WithHostname("compute1").Build();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"pcictl-agent-{Guid.NewGuid():N}");
    private WebApplication? _server;
    private Uri _controller = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await PlacementServer.BuildAsync(
            new PlacementServerOptions("127.0.0.1:0", _dataDirectory, AuthTokens: ["admin", "alice:member@demo"]), CancellationToken.None);
        await _server.StartAsync();
        _controller = _server.BoundAddress();
    }

    public async ValueTask DisposeAsync()
    {
        await _server!.StopAsync();
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
        _host.Dispose();
    }

    private (int ExitCode, string Output, string Error) Agent(string pci, params string[] extra)
    {
        var conf = Path.Combine(_host.Root, "nova.conf");
        File.WriteAllText(conf, $"[pci]\n{pci}\n");
        return HostCommandRunner.Run(["agent", "--controller", _controller.ToString(), "--root", _host.Root, "--config", conf, "--once", .. extra]);
    }

    /// <summary>The controller's view of a host (<c>GET /v1/hosts/{name}</c>), or null when it does not know it.</summary>
    private async Task<JsonObject?> HostAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = _controller };
        http.DefaultRequestHeaders.Add("X-Auth-Token", "admin");
        using var response = await http.GetAsync($"v1/hosts/{name}", TestContext.Current.CancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null
            : await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
    }

    private async Task<JsonArray> ProvidersNamedAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_controller, "placement/") };
        http.DefaultRequestHeaders.Add("x-auth-token", "admin");
        http.DefaultRequestHeaders.Add("OpenStack-API-Version", "placement 1.14");
        var body = await http.GetFromJsonAsync<JsonObject>($"resource_providers?name={name}", TestContext.Current.CancellationToken);
        return body!["resource_providers"]!.AsArray();
    }

    [Fact]
    public async Task PM18_OneRound_ReportsTheProviderTreeUnderTheComputeNode()
    {
        var (exitCode, output, error) = Agent("""
            report_in_placement = true
            device_spec = {"vendor_id": "15b3", "product_id": "101e"}
            """);

        exitCode.ShouldBe(0, error);
        output.ShouldContain("compute1 (compute node ");
        output.ShouldContain("1 PCI provider(s), 2 device(s), 0 deleted");
        (await HostAsync("compute1")).ShouldNotBeNull();
        var provider = (await ProvidersNamedAsync("compute1_0000:AF:00.0")).ShouldHaveSingleItem()!;
        var root = (await ProvidersNamedAsync("compute1")).ShouldHaveSingleItem()!;
        ((string?)provider["parent_provider_uuid"]).ShouldBe((string?)root["uuid"]);
    }

    [Fact]
    public void HostOption_NamesTheComputeNode()
    {
        var (exitCode, output, _) = Agent("""
            report_in_placement = true
            device_spec = {"vendor_id": "15b3", "product_id": "101e"}
            """, "--host", "cmp-renamed");

        exitCode.ShouldBe(0);
        output.ShouldContain("cmp-renamed (compute node ");
    }

    [Fact]
    public async Task PM2_DevnameWithReporting_RefusesToStartAndWritesNothing()
    {
        var (exitCode, _, error) = Agent("""
            report_in_placement = true
            device_spec = {"devname": "ens1f0"}
            """);

        exitCode.ShouldBe(2);
        error.ShouldContain("PlacementPciException");
        error.ShouldContain("refusing to start");
        (await ProvidersNamedAsync("compute1")).ShouldBeEmpty();
        (await HostAsync("compute1")).ShouldBeNull();
    }

    [Fact]
    public async Task ReportingOff_DescribesTheHostAndWritesNoProvider()
    {
        var (exitCode, output, error) = Agent("""
            device_spec = {"vendor_id": "15b3", "product_id": "101e"}
            [DEFAULT]
            ram_allocation_ratio = 1.0
            """);

        exitCode.ShouldBe(0, error);
        output.ShouldBe("pcictl agent: compute1: described to " + _controller + ": 2 NUMA cell(s), 14 PCI function(s); started\n");
        var host = (await HostAsync("compute1")).ShouldNotBeNull();
        ((bool?)host["started"]).ShouldBe(true);
        host["numa_cells"]!.AsArray().Select(c => (long?)c!["memory_mb"]).ShouldBe([65536L, 65536L]);
        host["devices"]!.AsArray().Select(d => (string?)d!["address"]).ShouldBe(["0000:af:02.0", "0000:af:02.1"]);
        (await ProvidersNamedAsync("compute1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task IommuGroups_FromSysfs_ReachTheHostApiAndTheDashboardsHostView()
    {
        var (exitCode, _, error) = Agent("""device_spec = {"vendor_id": "15b3", "product_id": "101e"}""");
        using var browser = new HttpClient { BaseAddress = _controller };

        var page = await browser.GetStringAsync("hosts/compute1?token=admin", TestContext.Current.CancellationToken);
        var groups = (await HostAsync("compute1"))!["iommu_groups"]!.AsObject();

        exitCode.ShouldBe(0, error);
        foreach (var address in new[] { "0000:af:02.0", "0000:af:02.1" })
        {
            var link = new FileInfo(Path.Combine(_host.Root, "sys", "bus", "pci", "devices", address, "iommu_group"));
            var group = Path.GetFileName(link.LinkTarget!);
            page.ShouldMatch($"""(?s)id="dev-{Regex.Escape(address)}">(?:(?!id="dev-).)*· IOMMU group {group}\b""");
            groups[address]!.GetValue<string>().ShouldBe(group);
        }
    }

    [Fact]
    public async Task ControllerRefusingTheHost_FailsTheRoundWithItsMessageAndExit1()
    {
        var (exitCode, _, error) = Agent("""device_spec = {"vendor_id": "15b3"}""", "--auth-token", "alice");

        exitCode.ShouldBe(1);
        error.ShouldContain("the controller at " + _controller + " refused host compute1: ");
        (await HostAsync("compute1")).ShouldBeNull();
    }

    [Fact]
    public void UnreachableController_FailsTheRoundWithTheUrlAndExit3LikeTheClientVerbs()
    {
        _controller = new Uri("http://127.0.0.1:1/");

        var (exitCode, _, error) = Agent("""
            report_in_placement = true
            device_spec = {"vendor_id": "15b3", "product_id": "101e"}
            """);

        exitCode.ShouldBe(3);
        error.ShouldContain("reporting to http://127.0.0.1:1/ failed: cannot reach the controller at http://127.0.0.1:1/");
    }
}
