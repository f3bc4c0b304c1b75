using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.PlacementApi;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary>Loads the whole provider state in four queries for the pure searches in Core.</summary>
public static class ProviderSnapshots
{
    public static async Task<PlacementSnapshot> LoadAsync(PlacementDb db, CancellationToken cancellationToken)
    {
        var providers = await db.Providers.AsNoTracking().OrderBy(p => p.CreationOrder).ToListAsync(cancellationToken);
        var usages = await db.UsageTotals.AsNoTracking()
            .ToDictionaryAsync(u => (u.ProviderUuid, u.ResourceClass), u => u.Used, cancellationToken);
        var inventories = (await db.Inventories.AsNoTracking().ToListAsync(cancellationToken))
            .ToLookup(i => i.ProviderUuid, StringComparer.Ordinal);
        var traits = (await db.ProviderTraits.AsNoTracking().ToListAsync(cancellationToken))
            .ToLookup(t => t.ProviderUuid, t => t.Value, StringComparer.Ordinal);
        var aggregates = (await db.ProviderAggregates.AsNoTracking().ToListAsync(cancellationToken))
            .ToLookup(a => a.ProviderUuid, a => a.Value, StringComparer.Ordinal);
        return new PlacementSnapshot(providers.Select((p, order) => new ProviderState(
            p.Uuid, p.ParentUuid, p.RootUuid, order,
            inventories[p.Uuid].ToDictionary(i => i.ResourceClass, i => new InventoryState(
                i.Total, i.Reserved, i.MinUnit, i.MaxUnit, i.StepSize, i.AllocationRatio,
                usages.GetValueOrDefault((p.Uuid, i.ResourceClass))), StringComparer.Ordinal),
            traits[p.Uuid].ToHashSet(StringComparer.Ordinal),
            aggregates[p.Uuid].ToHashSet(StringComparer.Ordinal))));
    }
}
