using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Server.Controller;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>A real controller (Kestrel on 127.0.0.1, a free port) on a SQLite file in a fresh temp directory, or on
/// the database given; the scheduler knows the <see cref="ControllerHosts.Aliases"/>.</summary>
public sealed class ControllerFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"pcictl-controller-{Guid.NewGuid():N}");
    private readonly PlacementServerOptions _options;
    private WebApplication? _app;

    public ControllerFixture()
        : this(null, [])
    {
    }

    private ControllerFixture(string? database, IReadOnlyList<string> tokens, TimeSpan? heartbeat = null) =>
        _options = new PlacementServerOptions("127.0.0.1:0", _dataDirectory, database, tokens)
        {
            Engine = new ScenarioConfig { Alias = ControllerHosts.Aliases },
            HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(60),
        };

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the server logged as errors, for the message of a test that got a 5xx.</summary>
    public ServerErrorLog Errors { get; private set; } = null!;

    /// <summary>This replica's engine, to see how much of the log it folded.</summary>
    public ControllerEngine Engine => _app!.Services.GetRequiredService<ControllerEngine>();

    /// <summary>A started controller; dispose it to stop it.</summary>
    public static async Task<ControllerFixture> StartAsync(string? database = null, IReadOnlyList<string>? tokens = null,
        TimeSpan? heartbeat = null)
    {
        var server = new ControllerFixture(database, tokens ?? [], heartbeat);
        await server.InitializeAsync();
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        _app = await PlacementServer.BuildAsync(_options, CancellationToken.None);
        Errors = ServerErrorLog.AttachTo(_app);
        await _app.StartAsync();
        BaseAddress = _app.BoundAddress();
    }

    /// <summary>A client sending <paramref name="token"/> (none when null); without configured tokens, <c>admin</c>
    /// is the admin and any other token a member of the project of that name.</summary>
    public PlacementClient Client(string? token = "admin") => ClientOf(BaseAddress, token);

    public static PlacementClient ClientOf(Uri baseAddress, string? token)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Add("x-auth-token", token);
        }

        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return new PlacementClient(http);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

/// <summary>What the controller answers, read as the contract says.</summary>
public static class ControllerAnswers
{
    public static string ErrorCode(this PlacementResponse response) => response.Json["error"]!["code"]!.GetValue<string>();

    public static string ErrorMessage(this PlacementResponse response) => response.Json["error"]!["message"]!.GetValue<string>();

    public static string Text(this JsonNode? node) => node!.GetValue<string>();

    public static IReadOnlyList<string> Addresses(this PlacementResponse server) =>
        [.. server.Json["pci_devices"]!.AsArray().Select(d => d!["address"].Text())];
}
