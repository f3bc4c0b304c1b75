using System.Data.Common;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>An allocation write's guarded statements go in one batch (on PostgreSQL without a transaction of ours:
/// the batch is PostgreSQL's implicit transaction). A trigger makes the second provider's generation bump change no
/// row, as if another writer had moved its generation: the first provider's bump, which ran before it in the same
/// batch, must be undone, and the consumer and its allocations must not exist.</summary>
public sealed class GuardedWriteTests
{
    [Fact]
    public async Task Sqlite_AGuardThatChangesNoRow_UndoesTheWholeBatch()
    {
        var directory = Directory.CreateTempSubdirectory("pcictl-guard-");
        try
        {
            var database = $"Data Source={Path.Combine(directory.FullName, "placement.db")}";
            await AGuardThatChangesNoRowUndoesTheBatchAsync(database, () => new SqliteConnection(database),
                "CREATE TRIGGER skip_bump BEFORE UPDATE ON \"Providers\" WHEN OLD.\"Uuid\" = '{0}' BEGIN SELECT RAISE(IGNORE); END;");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_AGuardThatChangesNoRow_UndoesTheWholeBatch()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await AGuardThatChangesNoRowUndoesTheBatchAsync(database.ConnectionString, () => new NpgsqlConnection(database.ConnectionString),
            "CREATE FUNCTION skip_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$; " +
            "CREATE TRIGGER skip_bump BEFORE UPDATE ON \"Providers\" FOR EACH ROW WHEN (OLD.\"Uuid\" = '{0}') EXECUTE FUNCTION skip_bump();");
    }

    private static async Task AGuardThatChangesNoRowUndoesTheBatchAsync(string database, Func<DbConnection> connect, string skipTrigger)
    {
        await using var server = await PlacementServerFixture.StartAsync(database);
        using var client = server.Client();
        string[] pfs = [await client.CreateProviderAsync("guard-pf-a"), await client.CreateProviderAsync("guard-pf-b")];
        Array.Sort(pfs, StringComparer.Ordinal);
        foreach (var pf in pfs)
        {
            await client.SetInventoryAsync(pf, ("SRIOV_NET_VF", 8));
        }

        var firstGeneration = await GenerationAsync(client, pfs[0]);
        await using var connection = connect();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await ScalarAsync(connection, string.Format(CultureInfo.InvariantCulture, skipTrigger, pfs[1]));

        var consumer = PlacementSetup.NewUuid();
        var claim = await client.PutAsync($"allocations/{consumer}",
            PlacementSetup.Allocation(null, (pfs[0], "SRIOV_NET_VF", 1), (pfs[1], "SRIOV_NET_VF", 1)));

        claim.Status.ShouldBe(HttpStatusCode.Conflict, claim.Text);
        claim.ErrorCode.ShouldBe("placement.concurrent_update");
        (await GenerationAsync(client, pfs[0])).ShouldBe(firstGeneration);
        (await ScalarAsync(connection, $"SELECT COUNT(*) FROM \"Consumers\" WHERE \"Uuid\" = '{consumer}'")).ShouldBe(0);
        (await ScalarAsync(connection, $"SELECT COUNT(*) FROM \"Allocations\" WHERE \"ConsumerUuid\" = '{consumer}'")).ShouldBe(0);
    }

    private static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) ?? 0L, CultureInfo.InvariantCulture);
    }

    private static async Task<int> GenerationAsync(PlacementClient client, string provider) =>
        (await client.GetAsync($"resource_providers/{provider}")).Json["generation"]!.GetValue<int>();
}
