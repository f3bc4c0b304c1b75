using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>PostgreSQL's migration AllocationUsages (SQLite has no Usages table) on a database that already holds
/// allocations: the Usages table starts as their sums per provider and class, its triggers keep it so through later
/// inserts, updates and deletes, and a claim counts the backfilled usage against capacity.</summary>
public sealed class UsageMigrationTests
{
    [Fact]
    public async Task Postgres_AllocationUsages_BackfillsTheSumsAndTheTriggersKeepThem()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var db = new PostgresPlacementDb(new DbContextOptionsBuilder<PostgresPlacementDb>().UseNpgsql(database.ConnectionString).Options);
        await BackfillAsync(db, database.ConnectionString, () => new NpgsqlConnection(database.ConnectionString));
    }

    private static async Task BackfillAsync(PlacementDb db, string database, Func<DbConnection> connect)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var migrations = db.Database.GetMigrations().ToList();
        var usages = migrations.FindIndex(m => m.EndsWith("_AllocationUsages", StringComparison.Ordinal));
        usages.ShouldBeGreaterThan(0);
        await db.GetService<IMigrator>().MigrateAsync(migrations[usages - 1], cancellationToken);

        string[] pfs = [.. new[] { PlacementSetup.NewUuid(), PlacementSetup.NewUuid() }.Order(StringComparer.Ordinal)];
        string[] consumers = [PlacementSetup.NewUuid(), PlacementSetup.NewUuid(), PlacementSetup.NewUuid()];
        await using var connection = connect();
        await connection.OpenAsync(cancellationToken);
        foreach (var pf in pfs)
        {
            await UsageTable.ExecuteAsync(connection, $"""
                INSERT INTO "Providers" ("Uuid", "Name", "Generation", "ParentUuid", "RootUuid", "UpdatedAt")
                    VALUES ('{pf}', 'backfill-{pf}', 3, NULL, '{pf}', '2026-12-01T00:00:00Z');
                INSERT INTO "Inventories" ("ProviderUuid", "ResourceClass", "Total", "Reserved", "MinUnit", "MaxUnit", "StepSize", "AllocationRatio")
                    VALUES ('{pf}', 'VCPU', 8, 0, 1, 8, 1, 1.0), ('{pf}', 'SRIOV_NET_VF', 8, 0, 1, 8, 1, 1.0);
                """);
        }

        foreach (var consumer in consumers)
        {
            await UsageTable.ExecuteAsync(connection, $"""
                INSERT INTO "Consumers" ("Uuid", "ProjectId", "UserId", "ConsumerType", "Generation") VALUES ('{consumer}', 'p1', 'u1', NULL, 1)
                """);
        }

        await UsageTable.ExecuteAsync(connection, $"""
            INSERT INTO "Allocations" ("ConsumerUuid", "ProviderUuid", "ResourceClass", "Used") VALUES
                ('{consumers[0]}', '{pfs[0]}', 'VCPU', 2), ('{consumers[0]}', '{pfs[0]}', 'SRIOV_NET_VF', 1),
                ('{consumers[0]}', '{pfs[1]}', 'SRIOV_NET_VF', 3), ('{consumers[1]}', '{pfs[0]}', 'VCPU', 4),
                ('{consumers[2]}', '{pfs[1]}', 'SRIOV_NET_VF', 5)
            """);

        await db.MigrateAsync(cancellationToken);

        (await UsageTable.StoredAsync(connection)).ShouldBe([$"{pfs[0]} SRIOV_NET_VF 1", $"{pfs[0]} VCPU 6", $"{pfs[1]} SRIOV_NET_VF 8"]);
        await UsageTable.ExecuteAsync(connection, $"""
            INSERT INTO "Allocations" ("ConsumerUuid", "ProviderUuid", "ResourceClass", "Used") VALUES ('{consumers[2]}', '{pfs[1]}', 'VCPU', 7)
            """);
        await UsageTable.ExecuteAsync(connection, $"""DELETE FROM "Allocations" WHERE "ConsumerUuid" = '{consumers[0]}' AND "ProviderUuid" = '{pfs[1]}'""");
        await UsageTable.ExecuteAsync(connection, $"""
            UPDATE "Allocations" SET "ProviderUuid" = '{pfs[1]}', "Used" = 1 WHERE "ConsumerUuid" = '{consumers[0]}' AND "ResourceClass" = 'SRIOV_NET_VF'
            """);
        (await UsageTable.StoredAsync(connection)).ShouldBe([$"{pfs[0]} VCPU 6", $"{pfs[1]} SRIOV_NET_VF 6", $"{pfs[1]} VCPU 7"]);
        await UsageTable.ShouldMatchAllocationsAsync(connection, "after an insert, a delete and an update");

        await using var server = await PlacementServerFixture.StartAsync(database);
        using var client = server.Client();
        var over = await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (pfs[0], "VCPU", 3)));
        over.Status.ShouldBe(HttpStatusCode.Conflict, over.Text);
        over.ErrorDetail.ShouldEndWith("The requested amount would exceed the capacity: 3 requested, 6 used of 8.");
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (pfs[0], "VCPU", 2))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        (await UsageTable.StoredAsync(connection)).ShouldContain($"{pfs[0]} VCPU 8");
    }
}
