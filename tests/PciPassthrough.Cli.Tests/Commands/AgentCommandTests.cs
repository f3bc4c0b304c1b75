using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using PciPassthrough.Server;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary><c>pcictl agent --once</c> against a real controller on 127.0.0.1, with the dual-socket SR-IOV fake host.</summary>
public sealed class AgentCommandTests : IAsyncLifetime
{
    private readonly FakeSysfs _host = FakeSysfsHosts.DualSocketSriov().WithHostname("compute1").Build();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"pcictl-agent-{Guid.NewGuid():N}");
    private WebApplication? _server;
    private Uri _controller = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await PlacementServer.BuildAsync(new PlacementServerOptions("127.0.0.1:0", _dataDirectory), CancellationToken.None);
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
    }

    [Fact]
    public void ReportingOff_SaysWhatToSet()
    {
        var (exitCode, _, error) = Agent("""device_spec = {"vendor_id": "15b3"}""");

        exitCode.ShouldBe(2);
        error.ShouldContain("set report_in_placement = true");
    }

    [Fact]
    public void UnreachableController_FailsTheRoundWithTheUrl()
    {
        _controller = new Uri("http://127.0.0.1:1/");

        var (exitCode, _, error) = Agent("""
            report_in_placement = true
            device_spec = {"vendor_id": "15b3", "product_id": "101e"}
            """);

        exitCode.ShouldBe(2);
        error.ShouldContain("reporting to http://127.0.0.1:1/ failed");
    }
}
