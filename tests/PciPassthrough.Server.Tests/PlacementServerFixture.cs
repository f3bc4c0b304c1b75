using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;

namespace PciPassthrough.Server.Tests;

/// <summary>A real server: Kestrel on 127.0.0.1 with a free port, by default on a SQLite file in a fresh temp
/// directory; <see cref="StartAsync"/> starts one on another database (a replica of a shared PostgreSQL).</summary>
public class PlacementServerFixture : IAsyncLifetime
{
    /// <summary>Where the server keeps its SQLite file (and a derived fixture its other files); deleted on dispose.</summary>
    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"pcictl-placement-{Guid.NewGuid():N}");
    private readonly string? _database;
    private WebApplication? _app;

    public PlacementServerFixture()
    {
    }

    private PlacementServerFixture(string database) => _database = database;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the server logged as errors, for the message of a test that got a 5xx.</summary>
    public ServerErrorLog Errors { get; private set; } = null!;

    /// <summary>Lets a derived fixture change the server's options (tokens, randomisation).</summary>
    protected virtual PlacementServerOptions Configure(PlacementServerOptions options) => options;

    /// <summary>A started server on <paramref name="database"/> (a connection string); dispose it to stop it.</summary>
    public static async Task<PlacementServerFixture> StartAsync(string database)
    {
        var server = new PlacementServerFixture(database);
        await server.InitializeAsync();
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        _app = await PlacementServer.BuildAsync(Configure(new PlacementServerOptions("127.0.0.1:0", DataDirectory, _database)),
            CancellationToken.None);
        Errors = ServerErrorLog.AttachTo(_app);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.BoundAddress(), "/placement/");
    }

    /// <summary>A client that sends the loopback admin token and <paramref name="version"/>.</summary>
    public PlacementClient Client(string version = "latest", string? token = "admin")
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Add("x-auth-token", token);
        }

        http.DefaultRequestHeaders.Add("OpenStack-API-Version", $"placement {version}");
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return new PlacementClient(http);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
