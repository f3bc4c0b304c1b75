using Npgsql;

namespace PciPassthrough.Server.Tests;

/// <summary>A fresh, empty database on the PostgreSQL server that <see cref="Variable"/> names (<c>.ci/run</c>
/// starts a private cluster and sets it); dropped on dispose. Without the variable the calling test is skipped.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "PCIPASSTHROUGH_TEST_POSTGRES";

    private readonly string _admin;
    private readonly string _name;

    private PostgresTestDatabase(string admin, string name)
    {
        _admin = admin;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>The new database's connection string, for <see cref="PlacementServerOptions.Database"/>.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        Assert.SkipWhen(string.IsNullOrEmpty(admin),
            $"{Variable} is not set: .ci/run starts a private PostgreSQL and sets it (`source .ci/postgres.sh && postgres_start` does it by hand)");
        var database = new PostgresTestDatabase(admin!, $"pcipassthrough_{Guid.NewGuid():N}");
        await database.ExecuteAsync($"CREATE DATABASE {database._name}");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
