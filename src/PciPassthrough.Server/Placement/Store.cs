using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core;
using PciPassthrough.Core.Placement;
using PciPassthrough.Server.Controller.Store;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary>Reads and writes shared by the Placement handlers.</summary>
public static class Store
{
    public static IReadOnlySet<string> StandardTraits { get; } = StandardNames.TraitsOf(NovaRelease.Latest);

    /// <summary>The provider, else 404; <paramref name="purpose"/> ends Placement's message (" for delete").</summary>
    public static async Task<ProviderRow> ProviderAsync(this PlacementDb db, string uuid, CancellationToken cancellationToken,
        string purpose = "") =>
        await db.Providers.FirstOrDefaultAsync(p => p.Uuid == uuid, cancellationToken)
        ?? throw PlacementException.NotFound($"No resource provider with uuid {uuid} found{purpose}");

    /// <summary>PA-51: the provider's generation must be <paramref name="expected"/>; the caller then bumps it.</summary>
    public static void CheckGeneration(this ProviderRow provider, long expected)
    {
        if (provider.Generation != expected)
        {
            throw PlacementException.ProviderGenerationConflict(provider.Uuid,
                $"; actual: {provider.Generation}, given: {expected}");
        }
    }

    /// <summary>Saves; a concurrency-token miss means another writer got there first: 409 <c>concurrent_update</c>
    /// for <paramref name="provider"/>, and nothing of this write is kept. So does a duplicate key: a writer that read
    /// the same generation added the same trait, aggregate or inventory first, and the insert fails before the
    /// generation check.</summary>
    public static async Task SaveProviderWriteAsync(this PlacementDb db, ProviderRow provider, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || StoreErrors.IsDuplicateKey(e))
        {
            throw PlacementException.ProviderGenerationConflict(provider.Uuid);
        }
    }

    public static async Task<bool> ResourceClassExistsAsync(this PlacementDb db, string name, CancellationToken cancellationToken) =>
        StandardNames.ResourceClasses.Contains(name)
        || await db.CustomResourceClasses.AnyAsync(c => c.Name == name, cancellationToken);

    public static async Task RequireResourceClassAsync(this PlacementDb db, string name, CancellationToken cancellationToken)
    {
        if (!await db.ResourceClassExistsAsync(name, cancellationToken))
        {
            throw PlacementException.NoSuchResourceClass(name);
        }
    }

    /// <summary>A class named in a <c>resources</c> query (candidates, provider list) must exist.</summary>
    public static async Task RequireRequestedClassAsync(this PlacementDb db, string name, CancellationToken cancellationToken)
    {
        if (!await db.ResourceClassExistsAsync(name, cancellationToken))
        {
            throw PlacementException.BadRequest($"Invalid resource class in resources parameter: No such resource class {name}.");
        }
    }

    /// <summary>The names in <paramref name="names"/> that are neither standard nor created custom traits.</summary>
    public static async Task<List<string>> UnknownTraitsAsync(this PlacementDb db, IEnumerable<string> names,
        CancellationToken cancellationToken)
    {
        var custom = names.Where(n => !StandardTraits.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        var known = await db.CustomTraits.Where(t => custom.Contains(t.Name)).Select(t => t.Name).ToListAsync(cancellationToken);
        return [.. custom.Except(known, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Used amount per class on one provider (classes it has allocations of).</summary>
    public static async Task<Dictionary<string, long>> UsagesAsync(this PlacementDb db, string providerUuid,
        CancellationToken cancellationToken) =>
        await db.UsageTotals.Where(u => u.ProviderUuid == providerUuid)
            .ToDictionaryAsync(u => u.ResourceClass, u => u.Used, StringComparer.Ordinal, cancellationToken);
}
