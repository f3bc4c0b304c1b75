using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>POST /reshaper</c> (PA-50, from 1.30): inventories and allocations move in one transaction. The
/// listed providers first get the union of their old and new inventories (new values win), so allocations can move
/// under the usual capacity checks; then the classes no longer wanted are removed, which must leave none
/// allocated (409 <c>inventory.inuse</c>). Generations move as Placement's three steps move them: +1 for the union
/// when it changes anything, +1 for the allocations, +1 for the final inventory.</summary>
public static class ReshaperApi
{
    public static void Map(RouteGroupBuilder placement) => placement.MapPost("/reshaper", ReshapeAsync).MinVersion(30).RequiresJson();

    private sealed record ProviderReshape(string Uuid, long Generation, List<InventoryRow> Inventories);

    private static async Task<IResult> ReshapeAsync(HttpContext http, PlacementDb db, CancellationToken cancellationToken)
    {
        var version = http.Version();
        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "reshaper", ["inventories", "allocations"],
            "inventories", "allocations");
        var reshapes = new List<ProviderReshape>();
        var inventories = body.GetProperty("inventories");
        if (inventories.ValueKind != JsonValueKind.Object || !inventories.EnumerateObject().Any())
        {
            throw PlacementException.BadRequest("JSON does not validate: 'inventories' must name at least one resource provider");
        }

        foreach (var entry in inventories.EnumerateObject())
        {
            var item = Body.Object(entry.Value, $"inventories of {entry.Name}", ["resource_provider_generation", "inventories"],
                "resource_provider_generation", "inventories");
            var classes = item.GetProperty("inventories");
            if (classes.ValueKind != JsonValueKind.Object)
            {
                throw PlacementException.BadRequest($"JSON does not validate: inventories of {entry.Name} must be an object");
            }

            var wanted = new List<InventoryRow>();
            foreach (var inventory in classes.EnumerateObject())
            {
                // PA-50: unlike an inventory PUT, Placement's reshaper never checks reserved against total (PA-22); a
                // provider left with a negative capacity only refuses allocations (409)
                wanted.Add(InventoryApi.ParseFields(Body.Object(inventory.Value, $"inventory {inventory.Name}", InventoryApi.Fields, "total"),
                    entry.Name, inventory.Name));
            }

            reshapes.Add(new ProviderReshape(entry.Name, Body.Generation(item, "resource_provider_generation"), wanted));
        }

        var allocations = body.GetProperty("allocations");
        if (allocations.ValueKind != JsonValueKind.Object)
        {
            throw PlacementException.BadRequest("JSON does not validate: 'allocations' must be an object");
        }

        var writes = allocations.EnumerateObject().Select(entry => ConsumerWrite.Parse(
            Body.NormalizeUuid(entry.Name) ?? throw PlacementException.BadRequest($"Malformed consumer_uuid: {entry.Name}"),
            entry.Value, version, allowEmpty: true)).ToList();

        try
        {
            await AllocationWriter.WriteAsync(db, writes,
                () => WidenAsync(db, reshapes, writes, cancellationToken), () => NarrowAsync(db, reshapes, cancellationToken), cancellationToken);
        }
        catch (PlacementException e) when (e.UnknownResourceClass is { } name)
        {
            throw PlacementException.BadRequest($"malformed reshaper data: No such resource class {name}.");
        }

        return Results.NoContent();
    }

    /// <summary>As Placement: every listed provider must exist at its generation before any class is looked up.</summary>
    private static async Task WidenAsync(PlacementDb db, List<ProviderReshape> reshapes, List<ConsumerWrite> writes,
        CancellationToken cancellationToken)
    {
        var providers = new List<ProviderRow>();
        foreach (var reshape in reshapes)
        {
            var provider = await db.Providers.FirstOrDefaultAsync(p => p.Uuid == reshape.Uuid, cancellationToken)
                ?? throw PlacementException.BadRequest($"Resource provider {reshape.Uuid} in inventories not found: " +
                    $"No resource provider with uuid {reshape.Uuid} found", ErrorCodes.ProviderNotFound);
            if (provider.Generation != reshape.Generation)
            {
                throw PlacementException.Conflict($"resource provider generation conflict for provider {reshape.Uuid}: " +
                    $"actual: {provider.Generation}, given: {reshape.Generation}", ErrorCodes.ConcurrentUpdate);
            }

            providers.Add(provider);
        }

        foreach (var (reshape, provider) in reshapes.Zip(providers))
        {
            foreach (var inventory in reshape.Inventories)
            {
                if (!await db.ResourceClassExistsAsync(inventory.ResourceClass, cancellationToken))
                {
                    await CheckConsumersAndAllocatedProvidersAsync(db, writes, cancellationToken);
                    throw PlacementException.BadRequest($"malformed reshaper data: No such resource class {inventory.ResourceClass}.");
                }
            }

            var current = await db.Inventories.Where(i => i.ProviderUuid == reshape.Uuid).ToListAsync(cancellationToken);
            var changed = false;
            foreach (var inventory in reshape.Inventories)
            {
                if (current.FirstOrDefault(c => c.ResourceClass == inventory.ResourceClass) is { } existing)
                {
                    var entry = db.Entry(existing);
                    entry.CurrentValues.SetValues(inventory);
                    changed |= entry.State == EntityState.Modified;
                }
                else
                {
                    db.Inventories.Add(inventory);
                    changed = true;
                }
            }

            if (changed)
            {
                provider.Generation++;
                provider.UpdatedAt = DateTime.UtcNow;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>PA-50: Placement looks at the consumers' generations and the allocations' providers before it looks up
    /// an inventory's class (the allocation writer checks them again, after the widened inventories exist).</summary>
    private static async Task CheckConsumersAndAllocatedProvidersAsync(PlacementDb db, List<ConsumerWrite> writes,
        CancellationToken cancellationToken)
    {
        var consumers = writes.Select(w => w.ConsumerUuid).ToList();
        var generations = await db.Consumers.Where(c => consumers.Contains(c.Uuid))
            .ToDictionaryAsync(c => c.Uuid, c => (long?)c.Generation, cancellationToken);
        AllocationWriter.CheckConsumerGenerations(writes, generations.GetValueOrDefault);

        var allocated = writes.SelectMany(w => w.Allocations.Keys).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.Providers.Where(p => allocated.Contains(p.Uuid)).Select(p => p.Uuid).ToListAsync(cancellationToken);
        if (allocated.Except(known, StringComparer.Ordinal).FirstOrDefault() is { } missing)
        {
            throw PlacementException.BadRequest($"Allocation for resource provider '{missing}' that does not exist.");
        }
    }

    private static async Task NarrowAsync(PlacementDb db, List<ProviderReshape> reshapes, CancellationToken cancellationToken)
    {
        foreach (var reshape in reshapes)
        {
            var wanted = reshape.Inventories.Select(i => i.ResourceClass).ToList();
            var removed = await db.Inventories.Where(i => i.ProviderUuid == reshape.Uuid && !wanted.Contains(i.ResourceClass))
                .ToListAsync(cancellationToken);
            var removedClasses = removed.Select(i => i.ResourceClass).ToList();
            var inUse = await db.Allocations.Where(a => a.ProviderUuid == reshape.Uuid && removedClasses.Contains(a.ResourceClass))
                .Select(a => a.ResourceClass).Distinct().ToListAsync(cancellationToken);
            if (inUse.Count > 0)
            {
                // Placement names every allocated class the reshape would remove
                throw InventoryApi.InUse(string.Join(", ", await InventoryApi.InClassIdOrderAsync(db, inUse, cancellationToken)),
                    reshape.Uuid, ErrorCodes.InventoryInUse,
                    InventoryApi.UpdateConflict);
            }

            db.Inventories.RemoveRange(removed);
        }

        await db.SaveChangesAsync(cancellationToken);
        var uuids = reshapes.Select(r => r.Uuid).ToList();
        var now = DateTime.UtcNow;
        await db.Providers.Where(p => uuids.Contains(p.Uuid)).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Generation, p => p.Generation + 1).SetProperty(p => p.UpdatedAt, now), cancellationToken);
    }
}
