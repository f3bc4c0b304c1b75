using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary><see cref="SqliteCheckpointer"/>: the server's connections never checkpoint in a commit (no write waits
/// for one), and the write-ahead log still reaches the database file, in the background.</summary>
public sealed class SqliteCheckpointTests
{
    [Fact]
    public async Task ServerConnections_NeverCheckpointInACommit()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var database = new SqliteTestDatabase();
        await using var services = new ServiceCollection().AddLogging()
            .AddPlacementDb(new PlacementServerOptions("127.0.0.1:0", Path.GetTempPath(), database.ConnectionString)).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlacementDb>();
        await db.Database.OpenConnectionAsync(cancellationToken);

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint";
        ((long)(await command.ExecuteScalarAsync(cancellationToken))!).ShouldBe(0);
        services.GetServices<IHostedService>().OfType<SqliteCheckpointer>().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Writes_ReachTheDatabaseFile_InTheBackground()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var database = new SqliteTestDatabase();
        await using var server = await PlacementServerFixture.StartAsync(database.ConnectionString);
        var file = new FileInfo(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
        var before = file.Length;

        using var client = server.Client();
        for (var i = 0; i < 300; i++)
        {
            (await client.PostAsync("resource_providers", new JsonObject { ["name"] = $"checkpointed-{i}" })).Status
                .ShouldBe(HttpStatusCode.OK);
        }

        // the file grows only when a checkpoint copies the log's pages into it
        var deadline = DateTime.UtcNow + (SqliteCheckpointer.Interval * 20);
        for (file.Refresh(); file.Length == before && DateTime.UtcNow < deadline; file.Refresh())
        {
            await Task.Delay(SqliteCheckpointer.Interval / 4, cancellationToken);
        }

        file.Length.ShouldBeGreaterThan(before);
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM Providers";
        ((long)(await command.ExecuteScalarAsync(cancellationToken))!).ShouldBe(300);
    }
}
