using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using PciPassthrough.Server.Controller.Store;
using PciPassthrough.Server.Persistence;
using SQLitePCL;

namespace PciPassthrough.Server.Placement;

/// <summary>
/// Replaces the allocations of one or more consumers, all or nothing (PA-33…36). Consistency without locks: the
/// provider rows are read FIRST, then inventories and usage (which see whatever committed before the provider
/// read, on either engine); every provider that gains allocations gets its generation bumped with
/// <c>UPDATE … WHERE generation = read</c>. A writer that committed in between changed that generation, so this
/// write's UPDATE matches no row, nothing is kept and the write is retried on fresh data (Placement's <c>allocation_conflict_retry_count</c>, 10), then 409. A consumer generation
/// the client sent that differs from the stored one is a 409 at once (PA-51: the client decides); a consumer row
/// changed between our read and our write fails the attempt like a provider, and the retry sees the mismatch.
/// </summary>
public static class AllocationWriter
{
    public const int ConflictRetries = 10;

    /// <summary>PostgreSQL: how often a new consumer's claim is tried as one statement after losing races, before
    /// the general path (which has its own <see cref="ConflictRetries"/>) takes over.</summary>
    private const int ClaimStatementTries = 3;

    public static Task WriteAsync(PlacementDb db, IReadOnlyList<ConsumerWrite> writes, CancellationToken cancellationToken) =>
        WriteAsync(db, writes, null, null, cancellationToken);

    /// <summary>As above, with <paramref name="before"/> and <paramref name="after"/> run in the same transaction
    /// (and again on each retry): the reshaper's inventory changes around the allocation moves.</summary>
    public static async Task WriteAsync(PlacementDb db, IReadOnlyList<ConsumerWrite> writes, Func<Task>? before, Func<Task>? after,
        CancellationToken cancellationToken)
    {
        // PostgreSQL: a new consumer's claim is first tried as one statement (PostgresClaim). Otherwise no explicit
        // transaction, so a write is 2 round trips (the reads, then the guarded writes in one batch, which PostgreSQL
        // runs and commits as one implicit transaction: a failing guard undoes the whole batch), not 4 (BEGIN with the
        // reads, the writes, COMMIT). Nothing needs the reads and writes in one transaction:
        // the generation guards reject a write whose reads went stale. SQLite has no round trips to save (and its
        // guards are checked after the batch, inside the transaction); the reshaper's own steps need the transaction.
        var efSteps = before is not null || after is not null;
        var inTransaction = db is SqlitePlacementDb || efSteps;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!efSteps && PostgresClaim.Applies(db, writes))
            {
                for (var attempt = 1; attempt <= ClaimStatementTries; attempt++)
                {
                    var claim = await PostgresClaim.TryAsync(db, writes[0], cancellationToken);
                    if (claim.Result == PostgresClaim.Result.Stored)
                    {
                        return;
                    }

                    // a refusal throws here; checks that pass on the claim's snapshot (SQL and C# disagreeing) leave
                    // the write to the general path, as a consumer that exists does
                    if (claim.Result == PostgresClaim.Result.Declined)
                    {
                        await CheckAsync(db, writes, Wanted(writes), claim.Snapshot!, cancellationToken);
                    }

                    if (claim.Result != PostgresClaim.Result.Raced)
                    {
                        break;
                    }

                    await AfterLostRaceAsync(attempt, cancellationToken);
                }
            }

            if (db is SqlitePlacementDb && !efSteps && await TryOptimisticAsync(db, writes, cancellationToken))
            {
                return;
            }

            using var turn = await SqliteWriteGate.EnterAsync(db, cancellationToken);
            for (var attempt = 1; ; attempt++)
            {
                db.ChangeTracker.Clear();
                try
                {
                    await using var transaction = await Attempt.BeginAsync(db, inTransaction, efSteps, cancellationToken);
                    if (before is not null)
                    {
                        await before();
                    }

                    await TryWriteAsync(db, writes, null, cancellationToken);
                    if (after is not null)
                    {
                        await after();
                    }

                    await transaction.CommitAsync(cancellationToken);

                    return;
                }
                catch (Exception e) when (LostRace(e) && attempt < ConflictRetries)
                {
                    await AfterLostRaceAsync(attempt, cancellationToken);
                }
                catch (Exception e) when (LostRace(e))
                {
                    throw PlacementException.Conflict(
                        "resource provider generation conflict: another allocation write changed the same providers " +
                        $"{ConflictRetries} times in a row; retry.", ErrorCodes.ConcurrentUpdate);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The first retry goes at once: a guard fails only once the winner has committed. Later ones wait a
    /// little, more each time, so writers that keep colliding spread out.</summary>
    private static Task AfterLostRaceAsync(int attempt, CancellationToken cancellationToken) =>
        attempt > 1 ? Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken) : Task.CompletedTask;

    /// <summary>SQLite's first attempt: the reads run before this process's write gate (each statement sees what
    /// committed before it, as on PostgreSQL), so the gate holds only the guarded writes and the other writer's reads
    /// overlap them. False when a guard found a provider or consumer changed since the read: the caller then retries
    /// with the reads inside the gate, which only another process's writer can race, instead of sleeping.</summary>
    private static async Task<bool> TryOptimisticAsync(PlacementDb db, IReadOnlyList<ConsumerWrite> writes, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        IDisposable? turn = null;
        Attempt? transaction = null;
        try
        {
            await TryWriteAsync(db, writes, async () =>
            {
                turn = await SqliteWriteGate.EnterAsync(db, cancellationToken);
                transaction = await Attempt.BeginAsync(db, inTransaction: true, efSteps: false, cancellationToken);
            }, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return true;
        }
        catch (Exception e) when (LostRace(e))
        {
            return false;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            turn?.Dispose();
        }
    }

    /// <summary>Another writer committed first: a provider or consumer generation moved (ours — on PostgreSQL a
    /// guard's division by zero, see <see cref="GuardedWrites"/> — or EF Core's concurrency token in the reshaper's
    /// steps), or it created the same consumer (SQLite: between our read and the write gate) or on PostgreSQL took row
    /// locks in the other order.</summary>
    public static bool LostRace(Exception e) => e is RaceLostException or DbUpdateException || StoreErrors.IsDuplicateKey(e)
        || PostgresPlacementDb.ErrorOf(e)?.SqlState is PostgresErrorCodes.DivisionByZero or PostgresErrorCodes.UniqueViolation
            or PostgresErrorCodes.DeadlockDetected;

    private sealed class RaceLostException : Exception;

    /// <summary>One attempt's transaction, if any: EF Core's when the reshaper's EF steps share it, else on SQLite
    /// a plain <c>BEGIN IMMEDIATE</c>…<c>COMMIT</c> (EF Core's transaction object cost 2 % of a claim's CPU, all of
    /// it inside the write gate). Disposing it uncommitted rolls back.</summary>
    private sealed class Attempt(PlacementDb db, IDbContextTransaction? efTransaction, bool plain) : IAsyncDisposable
    {
        private bool _open = plain;

        public static async Task<Attempt> BeginAsync(PlacementDb db, bool inTransaction, bool efSteps, CancellationToken cancellationToken)
        {
            if (db is SqlitePlacementDb && !efSteps)
            {
                await PlainAsync(db, "BEGIN IMMEDIATE", cancellationToken);
                return new Attempt(db, null, plain: true);
            }

            return new Attempt(db, inTransaction ? await db.Database.BeginTransactionAsync(cancellationToken) : null, plain: false);
        }

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            if (efTransaction is not null)
            {
                await efTransaction.CommitAsync(cancellationToken);
            }
            else if (_open)
            {
                await PlainAsync(db, "COMMIT", cancellationToken);
                _open = false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (efTransaction is not null)
            {
                await efTransaction.DisposeAsync();
                return;
            }

            // SQLite has already rolled back after some errors (a full disk, I/O): a ROLLBACK would then fail
            if (_open && db.Database.GetDbConnection() is SqliteConnection { Handle: { } handle } && raw.sqlite3_get_autocommit(handle) == 0)
            {
                await PlainAsync(db, "ROLLBACK", CancellationToken.None);
            }
        }

        private static async Task PlainAsync(PlacementDb db, string sql, CancellationToken cancellationToken)
        {
            await using var command = new RawCommand(db).Sql(sql);
            await command.ExecuteAsync(cancellationToken);
        }
    }

    /// <summary>One attempt in hand-written SQL (a claim is the hot path: EF Core cost several times the SQL): one
    /// batch of reads, then one batch of writes (provider generation bumps, consumer rows, allocation rows), with
    /// <paramref name="beforeWrites"/> in between when there is something to write.</summary>
    private static async Task TryWriteAsync(PlacementDb db, IReadOnlyList<ConsumerWrite> writes, Func<Task>? beforeWrites,
        CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return;
        }

        var wanted = Wanted(writes);
        var stored = await StoredState.ReadAsync(db, writes, wanted, cancellationToken);
        await CheckAsync(db, writes, wanted, stored, cancellationToken);
        if (beforeWrites is not null)
        {
            await beforeWrites();
        }

        // One command (one round trip on PostgreSQL); each statement must change exactly the rows it names, else a
        // writer committed since our read.
        await using var command = new RawCommand(db);
        var batch = new GuardedWrites(command, db is PostgresPlacementDb);
        BumpProviders(batch, writes, stored);
        foreach (var write in writes)
        {
            WriteConsumer(batch, stored.Consumers, write);
        }

        ReplaceAllocations(batch, writes, wanted, stored.Previous.Count);
        await batch.ExecuteAsync(cancellationToken);
    }

    private static List<AllocationRow> Wanted(IReadOnlyList<ConsumerWrite> writes) =>
        writes.SelectMany(w => w.Allocations.SelectMany(p => p.Value.Select(r => new AllocationRow
        {
            ConsumerUuid = w.ConsumerUuid,
            ProviderUuid = p.Key,
            ResourceClass = r.Key,
            Used = r.Value,
        }))).ToList();

    /// <summary>Throws the error a write gets when <paramref name="stored"/> refuses it: a consumer generation
    /// mismatch, an unknown provider or class, then PA-34's inventory checks.</summary>
    private static async Task CheckAsync(PlacementDb db, IReadOnlyList<ConsumerWrite> writes, List<AllocationRow> wanted,
        StoredState stored, CancellationToken cancellationToken)
    {
        CheckConsumerGenerations(writes, consumer => stored.Consumers.GetValueOrDefault(consumer)?.Generation);
        foreach (var missing in wanted.Select(a => a.ProviderUuid).Where(uuid => !stored.ProviderGenerations.ContainsKey(uuid)))
        {
            throw PlacementException.BadRequest(
                $"Allocation for resource provider '{missing}' that does not exist.");
        }

        // A class with an inventory exists (a class in use cannot be deleted): only the others cost a query, so a
        // claim of a custom class (Nova's CUSTOM_PCI_*) asks nothing more than a standard one.
        foreach (var resourceClass in wanted.Where(a => !stored.Inventories.ContainsKey((a.ProviderUuid, a.ResourceClass)))
                     .Select(a => a.ResourceClass).Distinct())
        {
            await db.RequireResourceClassAsync(resourceClass, cancellationToken);
        }

        var classes = wanted.Select(a => a.ResourceClass).Distinct(StringComparer.Ordinal).ToList();
        var bare = wanted.Select(a => a.ProviderUuid).Distinct(StringComparer.Ordinal)
            .Where(provider => !classes.Any(c => stored.Inventories.ContainsKey((provider, c)))).ToList();
        if (bare.Count > 0)
        {
            // Placement names the classes in id order: custom ones as they were created, which costs a query
            throw InvalidInventory(string.Join(", ", await InventoryApi.InClassIdOrderAsync(db, classes, cancellationToken)),
                string.Join(", ", bare));
        }

        CheckCapacity(wanted, stored);
    }

    /// <summary>Write statements that must each change a known number of rows. SQLite: the batch's total row count
    /// is compared afterwards, inside the transaction. PostgreSQL (no transaction of ours, see
    /// <see cref="WriteAsync(PlacementDb, IReadOnlyList{ConsumerWrite}, Func{Task}?, Func{Task}?, CancellationToken)"/>):
    /// each statement checks itself, <c>WITH changed AS (… RETURNING 1) SELECT 1 / (count(*) = n)::int</c>, so a
    /// short count is an error inside the batch, which undoes the batch's earlier statements and skips the rest.</summary>
    private sealed class GuardedWrites(RawCommand command, bool checkedInDatabase)
    {
        private int _expected;

        /// <summary>Starts a statement; end it with <see cref="End"/>.</summary>
        public RawCommand Begin() => checkedInDatabase ? command.Sql("WITH changed AS (") : command;

        /// <summary>Ends the statement begun last, which must change exactly <paramref name="rows"/> rows.</summary>
        public void End(int rows)
        {
            _expected += rows;
            if (checkedInDatabase)
            {
                command.Sql(" RETURNING 1) SELECT 1 / (count(*) = ").Param(rows).Sql(")::int FROM changed");
            }

            command.Sql(";\n");
        }

        public async Task ExecuteAsync(CancellationToken cancellationToken)
        {
            if (_expected > 0 && await command.ExecuteAsync(cancellationToken) != _expected && !checkedInDatabase)
            {
                throw new RaceLostException();
            }
        }
    }

    /// <summary>What the write depends on, read in one batch. Providers (and so their generations) come before
    /// inventories and usage: whatever commits after that read fails our generation bump. Inventories map to the
    /// usage by consumers other than the writes'.</summary>
    internal sealed record StoredState(
        Dictionary<string, ConsumerRow> Consumers,
        List<AllocationRow> Previous,
        Dictionary<string, int> ProviderGenerations,
        Dictionary<(string Provider, string Class), (InventoryRow Inventory, long OthersUsed)> Inventories)
    {
        public static async Task<StoredState> ReadAsync(PlacementDb db, IReadOnlyList<ConsumerWrite> writes,
            List<AllocationRow> wanted, CancellationToken cancellationToken)
        {
            var consumerUuids = writes.Select(w => w.ConsumerUuid).Distinct(StringComparer.Ordinal).ToList();
            var providerUuids = wanted.Select(a => a.ProviderUuid).Distinct(StringComparer.Ordinal).ToList();
            await using var command = new RawCommand(db)
                .Sql("""SELECT "Uuid", "ProjectId", "UserId", "ConsumerType", "Generation" FROM "Consumers" WHERE """)
                .In(""" "Uuid" """, consumerUuids)
                .Sql("""; SELECT "ConsumerUuid", "ProviderUuid", "ResourceClass", "Used" FROM "Allocations" WHERE """)
                .In(""" "ConsumerUuid" """, consumerUuids)
                .Sql("""; SELECT "Uuid", "Generation" FROM "Providers" WHERE """).In(""" "Uuid" """, providerUuids)
                .Sql(""" OR "Uuid" IN (SELECT "ProviderUuid" FROM "Allocations" WHERE """).In(""" "ConsumerUuid" """, consumerUuids)
                .Sql("""); SELECT i."ProviderUuid", i."ResourceClass", i."Total", i."Reserved", i."MinUnit", i."MaxUnit", """)
                .Sql("""i."StepSize", i."AllocationRatio", """);
            // Usage by the other consumers: PostgreSQL's usage total less ours, SQLite's sum of theirs (see UsageRow).
            if (db is SqlitePlacementDb)
            {
                command.Sql("""(SELECT COALESCE(SUM(a."Used"), 0) FROM "Allocations" a WHERE a."ProviderUuid" = i."ProviderUuid" """)
                    .Sql("""AND a."ResourceClass" = i."ResourceClass" AND """).In(""" a."ConsumerUuid" """, consumerUuids, negate: true)
                    .Sql(""") FROM "Inventories" i WHERE """);
            }
            else
            {
                command.Sql("""COALESCE(u."Used", 0) - (SELECT COALESCE(SUM(a."Used"), 0) FROM "Allocations" a """)
                    .Sql("""WHERE a."ProviderUuid" = i."ProviderUuid" AND a."ResourceClass" = i."ResourceClass" AND """)
                    .In(""" a."ConsumerUuid" """, consumerUuids)
                    .Sql(""") FROM "Inventories" i LEFT JOIN "Usages" u ON u."ProviderUuid" = i."ProviderUuid" """)
                    .Sql("""AND u."ResourceClass" = i."ResourceClass" WHERE """);
            }

            command.In(""" i."ProviderUuid" """, providerUuids);
            await using var reader = await command.ReadAsync(cancellationToken);
            var consumers = new Dictionary<string, ConsumerRow>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                consumers[reader.GetString(0)] = new ConsumerRow
                {
                    Uuid = reader.GetString(0),
                    ProjectId = reader.GetString(1),
                    UserId = reader.GetString(2),
                    ConsumerType = reader.IsDBNull(3) ? null : reader.GetString(3),
                    Generation = reader.GetInt32(4),
                };
            }

            await reader.NextResultAsync(cancellationToken);
            var previous = new List<AllocationRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                previous.Add(new AllocationRow
                {
                    ConsumerUuid = reader.GetString(0),
                    ProviderUuid = reader.GetString(1),
                    ResourceClass = reader.GetString(2),
                    Used = reader.GetInt32(3),
                });
            }

            await reader.NextResultAsync(cancellationToken);
            var generations = new Dictionary<string, int>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                generations[reader.GetString(0)] = reader.GetInt32(1);
            }

            await reader.NextResultAsync(cancellationToken);
            var inventories = new Dictionary<(string, string), (InventoryRow, long)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var (inventory, used) = ReadInventory(reader, 0);
                inventories[(inventory.ProviderUuid, inventory.ResourceClass)] = (inventory, used);
            }

            return new StoredState(consumers, previous, generations, inventories);
        }

        /// <summary>Provider, class, total, reserved, min, max, step, ratio and the others' usage, from column
        /// <paramref name="first"/> on.</summary>
        internal static (InventoryRow Inventory, long OthersUsed) ReadInventory(DbDataReader reader, int first) => (new InventoryRow
        {
            ProviderUuid = reader.GetString(first),
            ResourceClass = reader.GetString(first + 1),
            Total = reader.GetInt32(first + 2),
            Reserved = reader.GetInt32(first + 3),
            MinUnit = reader.GetInt32(first + 4),
            MaxUnit = reader.GetInt32(first + 5),
            StepSize = reader.GetInt32(first + 6),
            AllocationRatio = reader.GetDouble(first + 7),
        }, reader.GetInt64(first + 8));
    }

    /// <summary>PA-34: per (provider, class) the inventory exists, each amount respects min/max/step, and the other
    /// consumers' usage plus this write fits capacity (an over-capacity provider may be written if usage does not grow).
    /// In Placement's order (after <see cref="CheckAsync"/> has named the providers with none of the request's
    /// classes): allocation by allocation as the request lists them, capacity against the sum so far.</summary>
    private static void CheckCapacity(List<AllocationRow> wanted, StoredState stored)
    {
        var sums = new Dictionary<(string Provider, string Class), long>();
        foreach (var allocation in wanted)
        {
            var (provider, resourceClass) = (allocation.ProviderUuid, allocation.ResourceClass);
            if (!stored.Inventories.TryGetValue((provider, resourceClass), out var found))
            {
                throw InvalidInventory(resourceClass, provider);
            }

            var (inventory, used) = found;
            if (allocation.Used < inventory.MinUnit || allocation.Used > inventory.MaxUnit || allocation.Used % inventory.StepSize != 0)
            {
                throw PlacementException.Conflict(
                    $"Unable to allocate inventory: Unable to create allocation for '{resourceClass}' on resource provider " +
                    $"'{provider}'. The requested amount would violate inventory constraints: " +
                    $"{(allocation.Used == ConsumerWrite.AboveMaximum ? $"more than {int.MaxValue}" : allocation.Used)} is not " +
                    $"between min_unit {inventory.MinUnit} and max_unit {inventory.MaxUnit} in steps of {inventory.StepSize}.");
            }

            var requested = sums[(provider, resourceClass)] = sums.GetValueOrDefault((provider, resourceClass)) + allocation.Used;
            // over capacity is allowed while these consumers' usage does not grow
            if (used + requested > inventory.Capacity
                && requested > stored.Previous.Where(a => a.ProviderUuid == provider && a.ResourceClass == resourceClass).Sum(a => (long)a.Used))
            {
                throw PlacementException.Conflict(
                    $"Unable to allocate inventory: Unable to create allocation for '{resourceClass}' on resource provider " +
                    $"'{provider}'. The requested amount would exceed the capacity: {requested} requested, {used} used " +
                    $"of {inventory.Capacity}.");
            }
        }
    }

    private static PlacementException InvalidInventory(string classes, string providers) => PlacementException.Conflict(
        $"Unable to allocate inventory: Inventory for '{classes}' on resource provider '{providers}' invalid.");

    /// <summary>+1 on every provider the request's writes allocate from (or, for an emptying write, allocated from),
    /// once however many of its consumers use it, as Placement bumps each provider it visited; guarded by the
    /// generation read. Providers are updated in uuid order, so two PostgreSQL writers take their
    /// row locks in one order.</summary>
    private static void BumpProviders(GuardedWrites batch, IReadOnlyList<ConsumerWrite> writes, StoredState stored)
    {
        var bumps = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var write in writes)
        {
            var bumped = write.Allocations.Count > 0
                ? write.Allocations.Keys
                : stored.Previous.Where(a => a.ConsumerUuid == write.ConsumerUuid).Select(a => a.ProviderUuid);
            bumps.UnionWith(bumped.Where(stored.ProviderGenerations.ContainsKey));
        }

        var now = DateTime.UtcNow;
        foreach (var uuid in bumps)
        {
            var generation = stored.ProviderGenerations[uuid];
            batch.Begin().Sql("""UPDATE "Providers" SET "Generation" = """).Param(generation + 1)
                .Sql(""", "UpdatedAt" = """).Param(now)
                .Sql(""" WHERE "Uuid" = """).Param(uuid).Sql(""" AND "Generation" = """).Param(generation);
            batch.End(1);
        }
    }

    /// <summary>PA-35: a new consumer starts at generation 1, each write adds 1, an emptied consumer is deleted.
    /// Updates and deletes are guarded by the generation read; a consumer another writer changed since fails the
    /// attempt, and the retry reports the generation mismatch (or, below 1.28, simply applies).</summary>
    private static void WriteConsumer(GuardedWrites batch, Dictionary<string, ConsumerRow> consumers, ConsumerWrite write)
    {
        if (!consumers.TryGetValue(write.ConsumerUuid, out var consumer))
        {
            if (write.Allocations.Count == 0)
            {
                return;
            }

            consumers[write.ConsumerUuid] = new ConsumerRow
            {
                Uuid = write.ConsumerUuid,
                ProjectId = write.ProjectId,
                UserId = write.UserId,
                ConsumerType = write.ConsumerType,
                Generation = 1,
            };
            batch.Begin().Sql("""INSERT INTO "Consumers" ("Uuid", "ProjectId", "UserId", "ConsumerType", "Generation") VALUES (""")
                .Param(write.ConsumerUuid).Sql(", ").Param(write.ProjectId).Sql(", ").Param(write.UserId).Sql(", ")
                .Param(write.ConsumerType).Sql(", 1)");
            batch.End(1);
            return;
        }

        if (write.Allocations.Count == 0)
        {
            consumers.Remove(write.ConsumerUuid);
            batch.Begin().Sql("""DELETE FROM "Consumers" WHERE "Uuid" = """).Param(consumer.Uuid)
                .Sql(""" AND "Generation" = """).Param(consumer.Generation);
            batch.End(1);
            return;
        }

        batch.Begin().Sql("""UPDATE "Consumers" SET "ProjectId" = """).Param(write.ProjectId)
            .Sql(""", "UserId" = """).Param(write.UserId)
            .Sql(""", "ConsumerType" = """).Param(write.ConsumerType ?? consumer.ConsumerType)
            .Sql(""", "Generation" = """).Param(consumer.Generation + 1)
            .Sql(""" WHERE "Uuid" = """).Param(consumer.Uuid).Sql(""" AND "Generation" = """).Param(consumer.Generation);
        batch.End(1);
        consumer.ConsumerType = write.ConsumerType ?? consumer.ConsumerType;
        consumer.Generation++;
    }

    private static void ReplaceAllocations(GuardedWrites batch, IReadOnlyList<ConsumerWrite> writes, List<AllocationRow> wanted,
        int previousCount)
    {
        if (previousCount > 0)
        {
            batch.Begin().Sql("""DELETE FROM "Allocations" WHERE """)
                .In(""" "ConsumerUuid" """, writes.Select(w => w.ConsumerUuid).Distinct(StringComparer.Ordinal).ToList());
            batch.End(previousCount);
        }

        if (wanted.Count == 0)
        {
            return;
        }

        // In (provider, class) order, as PostgresClaim inserts: the usage rows' triggers then lock them in one order.
        var command = batch.Begin().Sql("""INSERT INTO "Allocations" ("ConsumerUuid", "ProviderUuid", "ResourceClass", "Used") VALUES """);
        var first = true;
        foreach (var row in wanted.OrderBy(a => a.ProviderUuid, StringComparer.Ordinal).ThenBy(a => a.ResourceClass, StringComparer.Ordinal))
        {
            command.Sql(first ? "(" : ", (").Param(row.ConsumerUuid).Sql(", ").Param(row.ProviderUuid)
                .Sql(", ").Param(row.ResourceClass).Sql(", ").Param(row.Used).Sql(")");
            first = false;
        }

        batch.End(wanted.Count);
    }

    /// <summary>PA-35: a consumer generation the client sent (from 1.28) must be the stored one (null: no consumer
    /// yet).</summary>
    internal static void CheckConsumerGenerations(IReadOnlyList<ConsumerWrite> writes, Func<string, long?> storedGeneration)
    {
        foreach (var write in writes.Where(w => w.ChecksGeneration))
        {
            var generation = storedGeneration(write.ConsumerUuid);
            if (generation != write.ConsumerGeneration)
            {
                throw ConsumerConflict(write.ConsumerUuid,
                    $"expected {Show(generation, "null")} but got {Show(write.ConsumerGeneration, "None")}");
            }
        }
    }

    /// <summary>PA-16: Nova tells consumer from provider conflicts by "consumer generation conflict".</summary>
    private static PlacementException ConsumerConflict(string consumer, string why) => PlacementException.Conflict(
        $"consumer generation conflict - {why} (consumer {consumer})", ErrorCodes.ConcurrentUpdate);

    /// <summary>Placement's wording: a consumer that does not exist is expected as "null", a client's missing
    /// generation is reported as Python's "None".</summary>
    private static string Show(long? generation, string absent) =>
        generation?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? absent;
}
