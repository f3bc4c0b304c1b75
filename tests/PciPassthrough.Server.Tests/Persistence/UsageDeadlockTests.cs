using System.Globalization;
using System.Net;
using Npgsql;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>On PostgreSQL the usage triggers lock usage rows (see <c>UsageRow</c>). <c>DELETE /allocations/{c}</c>
/// takes no provider lock, so it can cross another transaction that changes the same two usage rows in the other
/// order: PostgreSQL breaks the deadlock by aborting one side, and the delete, if it is that side, is done again.</summary>
public sealed class UsageDeadlockTests
{
    [Fact]
    public async Task Postgres_DeleteChosenAsDeadlockVictim_IsRetriedAndSucceeds()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var server = await PlacementServerFixture.StartAsync(database.ConnectionString);
        using var client = server.Client();
        string[] pfs = [await client.CreateProviderAsync("deadlock-pf-a"), await client.CreateProviderAsync("deadlock-pf-b")];
        Array.Sort(pfs, StringComparer.Ordinal);
        foreach (var pf in pfs)
        {
            await client.SetInventoryAsync(pf, ("SRIOV_NET_VF", 8));
        }

        var deleted = PlacementSetup.NewUuid();
        (await client.PutAsync($"allocations/{deleted}",
            PlacementSetup.Allocation(null, (pfs[0], "SRIOV_NET_VF", 1), (pfs[1], "SRIOV_NET_VF", 1)))).Status.ShouldBe(HttpStatusCode.NoContent);

        // The other side: holds the second usage row, then (once the delete waits for it) asks for the first.
        await using var other = new NpgsqlConnection(database.ConnectionString);
        await other.OpenAsync(cancellation);
        await using var transaction = await other.BeginTransactionAsync(cancellation);
        await InsertAllocationAsync(other, pfs[1]);

        var delete = client.DeleteAsync($"allocations/{deleted}");
        await WaitUntilABackendWaitsForALockAsync(database.ConnectionString);
        await InsertAllocationAsync(other, pfs[0]);
        await transaction.CommitAsync(cancellation);

        var response = await delete;
        response.Status.ShouldBe(HttpStatusCode.NoContent, response.Text);
        (await client.GetAsync($"allocations/{deleted}")).Json["allocations"]!.AsObject().Count.ShouldBe(0);
        foreach (var pf in pfs)
        {
            (await client.GetAsync($"resource_providers/{pf}/usages")).Json["usages"]!["SRIOV_NET_VF"]!.GetValue<int>().ShouldBe(1);
        }

        async Task InsertAllocationAsync(NpgsqlConnection connection, string provider)
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO \"Allocations\" (\"ConsumerUuid\", \"ProviderUuid\", \"ResourceClass\", \"Used\") VALUES ($1, $2, 'SRIOV_NET_VF', 1)",
                connection, transaction)
            {
                Parameters = { new() { Value = "other-consumer" }, new() { Value = provider } },
            };
            await command.ExecuteNonQueryAsync(cancellation);
        }
    }

    private static async Task WaitUntilABackendWaitsForALockAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture) > 0)
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("the delete never waited for the other transaction's usage row");
    }
}
