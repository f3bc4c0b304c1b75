using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>The migration CreationOrder on a database that already holds providers, custom classes and custom
/// traits: SQLite numbers them in insertion order (its rowid), PostgreSQL, which keeps no such order, by name (the
/// order lists had before); whatever is created afterwards is listed after them.</summary>
public sealed class CreationOrderMigrationTests
{
    [Fact]
    public async Task Sqlite_CreationOrder_NumbersExistingRowsInInsertionOrder()
    {
        using var database = new SqliteTestDatabase();
        await using var db = new SqlitePlacementDb(new DbContextOptionsBuilder<SqlitePlacementDb>().UseSqlite(database.ConnectionString).Options);
        await BackfillAsync(db, database.ConnectionString, database.Connect, ["b", "c", "a"]);
    }

    [Fact]
    public async Task Postgres_CreationOrder_NumbersExistingRowsByName()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresPlacementDb(new DbContextOptionsBuilder<PostgresPlacementDb>().UseNpgsql(database.ConnectionString).Options);
        await BackfillAsync(db, database.ConnectionString, () => new NpgsqlConnection(database.ConnectionString), ["a", "b", "c"]);
    }

    private static async Task BackfillAsync(PlacementDb db, string database, Func<DbConnection> connect, string[] expected)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var migrations = db.Database.GetMigrations().ToList();
        var creationOrder = migrations.FindIndex(m => m.EndsWith("_CreationOrder", StringComparison.Ordinal));
        creationOrder.ShouldBeGreaterThan(0);
        await db.GetService<IMigrator>().MigrateAsync(migrations[creationOrder - 1], cancellationToken);

        await using (var connection = connect())
        {
            await connection.OpenAsync(cancellationToken);
            foreach (var name in new[] { "b", "c", "a" })
            {
                await UsageTable.ExecuteAsync(connection, $"""
                    INSERT INTO "Providers" ("Uuid", "Name", "Generation", "ParentUuid", "RootUuid", "UpdatedAt")
                        VALUES ('{Uuid(name)}', '{name}', 0, NULL, '{Uuid(name)}', '2026-12-01T00:00:00Z');
                    INSERT INTO "CustomResourceClass" ("Name") VALUES ('CUSTOM_{name.ToUpperInvariant()}');
                    INSERT INTO "CustomTrait" ("Name") VALUES ('CUSTOM_{name.ToUpperInvariant()}');
                    """);
            }
        }

        SqliteConnection.ClearAllPools();
        await using var server = await PlacementServerFixture.StartAsync(database);
        using var client = server.Client();
        await client.CreateProviderAsync("0");
        await client.CreateResourceClassAsync("CUSTOM_0");
        await client.CreateTraitAsync("CUSTOM_0");

        string[] names = [.. expected, "0"];
        (await client.GetAsync("resource_providers")).Json["resource_providers"]!.AsArray()
            .Select(p => p!["name"]!.GetValue<string>()).ShouldBe(names);
        (await client.GetAsync("resource_classes")).Json["resource_classes"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())
            .Where(n => n.StartsWith("CUSTOM_", StringComparison.Ordinal)).ShouldBe(names.Select(n => $"CUSTOM_{n.ToUpperInvariant()}"));
        (await client.GetAsync("traits?name=startswith:CUSTOM_")).Json["traits"]!.AsArray().Select(t => t!.GetValue<string>())
            .ShouldBe(names.Select(n => $"CUSTOM_{n.ToUpperInvariant()}"));
    }

    private static string Uuid(string name) => $"00000000-0000-0000-0000-00000000000{name}";
}
