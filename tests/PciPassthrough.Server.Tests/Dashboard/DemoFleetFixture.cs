using System.Net;
using System.Text.Json.Nodes;
using PciPassthrough.Server.Tests.Controller;

namespace PciPassthrough.Server.Tests.Dashboard;

/// <summary>The demo a person gets from the README's first command: <c>pcictl serve --demo</c> (a child process) with
/// one gpu.a100 server booted through the API.</summary>
public sealed class DemoFleetFixture : IAsyncLifetime
{
    public const string ServerName = "demo-vm";

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("pcictl-demo-browser-");
    private ServeProcess? _serve;

    public Uri BaseAddress => _serve!.BaseAddress;

    public PlacementClient Admin { get; private set; } = null!;

    /// <summary>The booted server as <c>POST /v1/servers</c> answered.</summary>
    public JsonNode Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _serve = await ServeProcess.StartDemoAsync(_dataDirectory.FullName);
        Admin = ControllerFixture.ClientOf(_serve.BaseAddress, "admin");
        var created = await Admin.PostAsync("v1/servers", new JsonObject { ["name"] = ServerName, ["flavor"] = "gpu.a100", ["image"] = "cirros" });
        created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
        Server = created.Json;
    }

    public ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        _serve?.Dispose();
        _dataDirectory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
