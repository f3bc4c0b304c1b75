using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PciPassthrough.Server.Persistence;

/// <summary>Per-connection SQLite settings. <c>busy_timeout</c>: a writer that finds the write lock taken waits in
/// SQLite (a few ms) instead of failing to Microsoft.Data.Sqlite, whose own retry sleeps 150 ms; concurrent claims
/// would otherwise run at a few dozen per second. <c>synchronous=NORMAL</c>: in WAL mode a commit survives a crash
/// of the process, only a power loss may drop the last ones, and it saves an fsync per write.</summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
