using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary>
/// Replaces the allocations of one or more consumers, all or nothing (PA-33…36). Consistency without locks:
/// inside one transaction the provider rows are read FIRST, then inventories and usage; every provider that gains
/// allocations gets its generation bumped with <c>UPDATE … WHERE generation = read</c>. A writer that committed in
/// between changed that generation, so this write's UPDATE matches no row, nothing is kept and the write is
/// retried on fresh data (Placement's <c>allocation_conflict_retry_count</c>, 10), then 409. Consumer generations
/// are checked the same way but never retried (PA-51: the client decides).
/// </summary>
public static class AllocationWriter
{
    public const int ConflictRetries = 10;

    public static Task WriteAsync(PlacementDb db, IReadOnlyList<ConsumerWrite> writes, CancellationToken cancellationToken) =>
        WriteAsync(db, writes, null, null, cancellationToken);

    /// <summary>As above, with <paramref name="before"/> and <paramref name="after"/> run in the same transaction
    /// (and again on each retry): the reshaper's inventory changes around the allocation moves.</summary>
    public static async Task WriteAsync(PlacementDb db, IReadOnlyList<ConsumerWrite> writes, Func<Task>? before, Func<Task>? after,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (before is not null)
                {
                    await before();
                }

                await TryWriteAsync(db, writes, cancellationToken);
                if (after is not null)
                {
                    await after();
                }

                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException e) when (e.Entries.Any(entry => entry.Entity is ConsumerRow))
            {
                var consumer = e.Entries.Select(entry => entry.Entity).OfType<ConsumerRow>().First();
                throw ConsumerConflict(consumer.Uuid, "another writer changed it first");
            }
            catch (DbUpdateException) when (attempt < ConflictRetries)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
            catch (DbUpdateException)
            {
                throw PlacementException.Conflict(
                    "resource provider generation conflict: another allocation write changed the same providers " +
                    $"{ConflictRetries} times in a row; retry.", ErrorCodes.ConcurrentUpdate);
            }
        }
    }

    private static async Task TryWriteAsync(PlacementDb db, IReadOnlyList<ConsumerWrite> writes, CancellationToken cancellationToken)
    {
        var consumerUuids = writes.Select(w => w.ConsumerUuid).ToList();
        var consumers = await db.Consumers.Where(c => consumerUuids.Contains(c.Uuid)).ToDictionaryAsync(c => c.Uuid, cancellationToken);
        foreach (var write in writes.Where(w => w.ChecksGeneration))
        {
            var stored = consumers.GetValueOrDefault(write.ConsumerUuid)?.Generation;
            if (stored != write.ConsumerGeneration)
            {
                throw ConsumerConflict(write.ConsumerUuid,
                    $"expected {Show(stored)} but got {Show(write.ConsumerGeneration)}");
            }
        }

        var previous = await db.Allocations.Where(a => consumerUuids.Contains(a.ConsumerUuid)).ToListAsync(cancellationToken);
        var wanted = writes.SelectMany(w => w.Allocations.SelectMany(p => p.Value.Select(r => new AllocationRow
        {
            ConsumerUuid = w.ConsumerUuid,
            ProviderUuid = p.Key,
            ResourceClass = r.Key,
            Used = r.Value,
        }))).ToList();
        var touched = wanted.Select(a => a.ProviderUuid).Concat(previous.Select(a => a.ProviderUuid)).Distinct().ToList();

        // Providers (and so their generations) first: whatever commits after this read fails our UPDATE below.
        var providers = await db.Providers.Where(p => touched.Contains(p.Uuid)).ToDictionaryAsync(p => p.Uuid, cancellationToken);
        foreach (var missing in wanted.Select(a => a.ProviderUuid).Where(uuid => !providers.ContainsKey(uuid)))
        {
            throw PlacementException.BadRequest(
                $"Unable to allocate inventory: Allocation for resource provider '{missing}' that does not exist.");
        }

        foreach (var resourceClass in wanted.Select(a => a.ResourceClass).Distinct())
        {
            await db.RequireResourceClassAsync(resourceClass, cancellationToken);
        }

        await CheckCapacityAsync(db, wanted, previous, consumerUuids, cancellationToken);

        db.Allocations.RemoveRange(previous);
        db.Allocations.AddRange(wanted);
        foreach (var write in writes)
        {
            UpdateConsumer(db, consumers, write);
            var bumped = write.Allocations.Count > 0
                ? write.Allocations.Keys
                : previous.Where(a => a.ConsumerUuid == write.ConsumerUuid).Select(a => a.ProviderUuid);
            foreach (var uuid in bumped.Distinct())
            {
                providers[uuid].Generation++;
                providers[uuid].UpdatedAt = DateTime.UtcNow;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>PA-34: per (provider, class) the inventory exists, each amount respects min/max/step, and the other
    /// consumers' usage plus this write fits capacity (an over-capacity provider may be written if usage does not grow).</summary>
    private static async Task CheckCapacityAsync(PlacementDb db, List<AllocationRow> wanted, List<AllocationRow> previous,
        List<string> consumerUuids, CancellationToken cancellationToken)
    {
        var providerUuids = wanted.Select(a => a.ProviderUuid).Distinct().ToList();
        var inventories = await db.Inventories.AsNoTracking().Where(i => providerUuids.Contains(i.ProviderUuid))
            .ToDictionaryAsync(i => (i.ProviderUuid, i.ResourceClass), cancellationToken);
        var others = (await db.Allocations.AsNoTracking()
                .Where(a => providerUuids.Contains(a.ProviderUuid) && !consumerUuids.Contains(a.ConsumerUuid))
                .GroupBy(a => new { a.ProviderUuid, a.ResourceClass })
                .Select(g => new { g.Key.ProviderUuid, g.Key.ResourceClass, Used = g.Sum(a => (long)a.Used) })
                .ToListAsync(cancellationToken))
            .ToDictionary(u => (u.ProviderUuid, u.ResourceClass), u => u.Used);

        foreach (var group in wanted.GroupBy(a => (a.ProviderUuid, a.ResourceClass)))
        {
            var (provider, resourceClass) = group.Key;
            if (!inventories.TryGetValue(group.Key, out var inventory))
            {
                throw PlacementException.Conflict(
                    $"Unable to allocate inventory: Inventory for '{resourceClass}' not found on resource provider '{provider}'.");
            }

            foreach (var allocation in group.Where(a =>
                         a.Used < inventory.MinUnit || a.Used > inventory.MaxUnit || a.Used % inventory.StepSize != 0))
            {
                throw PlacementException.Conflict(
                    $"Unable to allocate inventory: Unable to create allocation for '{resourceClass}' on resource provider " +
                    $"'{provider}'. The requested amount would violate inventory constraints: {allocation.Used} is not " +
                    $"between min_unit {inventory.MinUnit} and max_unit {inventory.MaxUnit} in steps of {inventory.StepSize}.");
            }

            var requested = group.Sum(a => (long)a.Used);
            var used = others.GetValueOrDefault(group.Key);
            var before = used + previous.Where(a => a.ProviderUuid == provider && a.ResourceClass == resourceClass).Sum(a => (long)a.Used);
            if (used + requested > inventory.Capacity && used + requested > before)
            {
                throw PlacementException.Conflict(
                    $"Unable to allocate inventory: Unable to create allocation for '{resourceClass}' on resource provider " +
                    $"'{provider}'. The requested amount would exceed the capacity: {requested} requested, {used} used " +
                    $"of {inventory.Capacity}.");
            }
        }
    }

    private static void UpdateConsumer(PlacementDb db, Dictionary<string, ConsumerRow> consumers, ConsumerWrite write)
    {
        if (!consumers.TryGetValue(write.ConsumerUuid, out var consumer))
        {
            if (write.Allocations.Count == 0)
            {
                return;
            }

            consumer = new ConsumerRow { Uuid = write.ConsumerUuid, ProjectId = write.ProjectId, UserId = write.UserId };
            db.Consumers.Add(consumer);
            consumers[consumer.Uuid] = consumer;
        }
        else if (write.Allocations.Count == 0)
        {
            db.Consumers.Remove(consumer);
            return;
        }

        consumer.ProjectId = write.ProjectId;
        consumer.UserId = write.UserId;
        consumer.ConsumerType = write.ConsumerType ?? consumer.ConsumerType;
        consumer.Generation++;
    }

    /// <summary>PA-16: Nova tells consumer from provider conflicts by "consumer generation conflict".</summary>
    public static PlacementException ConsumerConflict(string consumer, string why) => PlacementException.Conflict(
        $"consumer generation conflict - {why} (consumer {consumer})", ErrorCodes.ConcurrentUpdate);

    private static string Show(int? generation) => generation?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "None";
}
