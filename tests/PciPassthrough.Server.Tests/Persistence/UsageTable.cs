using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>The Usages table as SQL reads it, beside what it must always equal: the allocations summed per provider
/// and class. Rows are "provider class used", sorted; a Usages row at 0 stands for no row.</summary>
public static class UsageTable
{
    public static Task<List<string>> StoredAsync(DbConnection connection) =>
        RowsAsync(connection, """SELECT "ProviderUuid", "ResourceClass", "Used" FROM "Usages" WHERE "Used" <> 0""");

    public static Task<List<string>> SummedAsync(DbConnection connection) =>
        RowsAsync(connection, """SELECT "ProviderUuid", "ResourceClass", SUM("Used") FROM "Allocations" GROUP BY "ProviderUuid", "ResourceClass" """);

    public static async Task ShouldMatchAllocationsAsync(DbConnection connection, string context) =>
        (await StoredAsync(connection)).ShouldBe(await SummedAsync(connection), context);

    public static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) ?? 0L, CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>PostgreSQL: until another session of this database waits for a lock (bounded).</summary>
    public static async Task WaitForALockWaitAsync(DbConnection connection)
    {
        var stopwatch = Stopwatch.StartNew();
        while (await ScalarAsync(connection,
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0)
        {
            stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "no session ever waited for a lock");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<List<string>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)} {reader.GetString(1)} {reader.GetInt64(2)}"));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
