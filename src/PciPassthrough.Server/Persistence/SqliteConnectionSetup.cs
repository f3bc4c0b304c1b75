using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PciPassthrough.Server.Persistence;

/// <summary>Per-connection SQLite settings. <c>busy_timeout</c>: a writer that finds the write lock taken waits in
/// SQLite (a few ms) instead of failing to Microsoft.Data.Sqlite, whose own retry sleeps 150 ms; concurrent claims
/// would otherwise run at a few dozen per second. <c>synchronous=NORMAL</c>: in WAL mode a commit survives a crash
/// of the process, only a power loss may drop the last ones, and it saves an fsync per write.
/// <c>wal_autocheckpoint=0</c>: <see cref="SqliteCheckpointer"/> checkpoints outside every writer's turn. All three
/// stick to the native connection, so they are set once per pooled connection, not at every open (one per
/// request).</summary>
public sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;";

    private readonly ConditionalWeakTable<object, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || _configured.TryAdd(handle, handle);
}
