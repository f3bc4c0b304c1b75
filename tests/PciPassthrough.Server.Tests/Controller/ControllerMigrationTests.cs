using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>The controller's schema comes from its own EF Core migrations, one set per engine, with its own history
/// table beside Placement's.</summary>
public sealed class ControllerMigrationTests
{
    [Fact]
    public void EachEngine_HasAMigrationForEveryModelChange()
    {
        using var sqlite = new SqliteControllerDbDesignFactory().CreateDbContext([]);
        using var postgres = new PostgresControllerDbDesignFactory().CreateDbContext([]);
        sqlite.Database.HasPendingModelChanges().ShouldBeFalse("run dotnet ef migrations add (see ControllerDbFactory.cs)");
        postgres.Database.HasPendingModelChanges().ShouldBeFalse("run dotnet ef migrations add (see ControllerDbFactory.cs)");
        sqlite.Database.GetMigrations().ShouldNotBeEmpty();
        postgres.Database.GetMigrations().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Postgres_TwoReplicasStartingTogether_MigrateOnce_BesidePlacement()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var replicas = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => ControllerFixture.StartAsync(database.ConnectionString)));
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        await using var db = new PostgresControllerDbDesignFactory().CreateDbContext([]);
        db.Database.SetConnectionString(database.ConnectionString);
        (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBe(db.Database.GetMigrations());
        (await db.Events.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
    }
}
