using System.Net;
using Npgsql;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>DELETE /allocations/{c} bumps no provider (PA-38), so no provider row lock orders it against the other
/// allocation writers. Since the Usages triggers, deleting a consumer's allocations also updates the Usages row of
/// each of its providers, one after the other; an allocation writer that inserts rows for the same providers in the
/// other order (a claim inserts them in the order its request names them) holds one Usages row and waits for the
/// other: a deadlock, which PostgreSQL resolves by failing one of the two.</summary>
public sealed class UsageDeadlockTests
{
    [Fact]
    public async Task Postgres_DeleteAllocations_AgainstAWriterTakingUsagesRowsInTheOtherOrder_Succeeds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var server = await PlacementServerFixture.StartAsync(database.ConnectionString);
        using var client = server.Client();
        string[] pfs = [await client.CreateProviderAsync("deadlock-pf-a"), await client.CreateProviderAsync("deadlock-pf-b")];
        foreach (var pf in pfs)
        {
            await client.SetInventoryAsync(pf, ("SRIOV_NET_VF", 8));
        }

        var deleted = PlacementSetup.NewUuid();
        (await client.PutAsync($"allocations/{deleted}", PlacementSetup.Allocation(null, (pfs[0], "SRIOV_NET_VF", 1), (pfs[1], "SRIOV_NET_VF", 1))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        await using var monitor = new NpgsqlConnection(database.ConnectionString);
        await monitor.OpenAsync(cancellationToken);
        await using var writer = new NpgsqlConnection(database.ConnectionString);
        await writer.OpenAsync(cancellationToken);
        await using var transaction = await writer.BeginTransactionAsync(cancellationToken);
        var other = PlacementSetup.NewUuid();
        await UsageTable.ExecuteAsync(writer, $"""
            INSERT INTO "Allocations" ("ConsumerUuid", "ProviderUuid", "ResourceClass", "Used") VALUES ('{other}', '{pfs[1]}', 'SRIOV_NET_VF', 1)
            """);

        var delete = client.DeleteAsync($"allocations/{deleted}");
        await UsageTable.WaitForALockWaitAsync(monitor);
        try
        {
            await UsageTable.ExecuteAsync(writer, $"""
                INSERT INTO "Allocations" ("ConsumerUuid", "ProviderUuid", "ResourceClass", "Used") VALUES ('{other}', '{pfs[0]}', 'SRIOV_NET_VF', 1)
                """);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected)
        {
            // the writer was the one failed: the DELETE goes on
        }

        await transaction.RollbackAsync(cancellationToken);
        var response = await delete;
        response.Status.ShouldBe(HttpStatusCode.NoContent, response.Text);
        (await client.GetAsync($"allocations/{deleted}")).Json["allocations"]!.AsObject().Count.ShouldBe(0);
    }
}
