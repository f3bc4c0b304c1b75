using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace PciPassthrough.Server.Persistence;

/// <summary>Queues this process's allocation writes to one SQLite file. SQLite has one writer at a time anyway
/// (<c>BEGIN IMMEDIATE</c>), but a writer that finds the lock taken sleeps in SQLite's busy handler for 1, 2, 5,
/// 10… ms, far longer than a claim holds the lock; waiting here hands the lock over at once. Correctness does not
/// depend on it: the transaction and the generation guards still decide (and another process on the same file
/// still waits in the busy handler). PostgreSQL needs no gate (row locks, several replicas).</summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>Waits for this file's turn; dispose the result to pass it on (null: no gate for this engine).</summary>
    public static async Task<IDisposable?> EnterAsync(PlacementDb db, CancellationToken cancellationToken)
    {
        if (db is not SqlitePlacementDb || db.Database.GetConnectionString() is not { } file)
        {
            return null;
        }

        var gate = _gates.GetOrAdd(file, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
