using System.Net;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>Issue 6: the schema comes from EF Core migrations, one set per engine, applied at start.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void EachEngine_HasAMigrationForEveryModelChange()
    {
        using var sqlite = new SqlitePlacementDbDesignFactory().CreateDbContext([]);
        using var postgres = new PostgresPlacementDbDesignFactory().CreateDbContext([]);
        sqlite.Database.HasPendingModelChanges().ShouldBeFalse("run dotnet ef migrations add (see DesignTimeFactories.cs)");
        postgres.Database.HasPendingModelChanges().ShouldBeFalse("run dotnet ef migrations add (see DesignTimeFactories.cs)");
        sqlite.Database.GetMigrations().ShouldNotBeEmpty();
        postgres.Database.GetMigrations().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Sqlite_MigratedAtStart_RestartKeepsTheData()
    {
        var directory = Directory.CreateTempSubdirectory("pcictl-migrate-");
        try
        {
            await StartTwiceKeepsAProviderAsync($"Data Source={Path.Combine(directory.FullName, "placement.db")}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_MigratedAtStart_RestartKeepsTheData()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await StartTwiceKeepsAProviderAsync(database.ConnectionString);
    }

    [Fact]
    public async Task Postgres_TwoReplicasStartingTogether_MigrateOnce()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var replicas = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => PlacementServerFixture.StartAsync(database.ConnectionString)));
        foreach (var replica in replicas)
        {
            using var client = replica.Client();
            (await client.GetAsync("resource_providers")).Status.ShouldBe(HttpStatusCode.OK);
            await replica.DisposeAsync();
        }

        await using var db = new PostgresPlacementDb(new DbContextOptionsBuilder<PostgresPlacementDb>().UseNpgsql(database.ConnectionString).Options);
        (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBe(db.Database.GetMigrations());
    }

    private static async Task StartTwiceKeepsAProviderAsync(string database)
    {
        string uuid;
        await using (var first = await PlacementServerFixture.StartAsync(database))
        {
            using var client = first.Client();
            uuid = await client.CreateProviderAsync("survivor");
        }

        await using var second = await PlacementServerFixture.StartAsync(database);
        using var again = second.Client();
        var provider = await again.GetAsync($"resource_providers/{uuid}");
        provider.Status.ShouldBe(HttpStatusCode.OK);
        provider.Json["name"]!.GetValue<string>().ShouldBe("survivor");
    }
}
