using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;

namespace PciPassthrough.Server.Persistence;

/// <summary>Copies SQLite's write-ahead log into the database file in the background. SQLite's own automatic
/// checkpoint runs in the commit that crosses its threshold, inside that writer's turn: every few hundred claims one
/// copied a thousand pages and waited for the file's fsync while the other writer queued behind it. Connections turn
/// it off (<see cref="SqliteConnectionSetup"/>) and this runs a <c>PASSIVE</c> checkpoint every
/// <see cref="Interval"/>, which never waits for a reader or a writer nor makes one wait.</summary>
public sealed partial class SqliteCheckpointer(PlacementServerOptions options, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping; closing the last connection checkpoints what is left
        }
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(options.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e)
        {
            // the next tick tries again; the log only grows meanwhile
            CheckpointFailed(logger, options.DatabaseDescription, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "checkpoint of {Database} failed: {Reason}")]
    private static partial void CheckpointFailed(ILogger logger, string database, string reason);
}
