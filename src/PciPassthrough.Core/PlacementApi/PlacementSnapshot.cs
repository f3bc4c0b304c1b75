namespace PciPassthrough.Core.PlacementApi;

/// <summary>Every provider at one moment, indexed by uuid and by tree.</summary>
public sealed class PlacementSnapshot
{
    public PlacementSnapshot(IEnumerable<ProviderState> providers)
    {
        Providers = providers.ToDictionary(p => p.Uuid, StringComparer.Ordinal);
        Trees = Providers.Values.OrderBy(p => p.Order).GroupBy(p => p.RootUuid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ProviderState>)[.. g], StringComparer.Ordinal);
        Roots = [.. Trees.Keys.Select(root => Providers[root]).OrderBy(p => p.Order)];
        HasNested = Providers.Values.Any(p => p.ParentUuid is not null);
        Sharing = [.. Providers.Values.Where(p => p.IsSharing && p.Aggregates.Count > 0).OrderBy(p => p.Order)];
    }

    /// <summary>Providers that share their inventory through their aggregates (PA-45).</summary>
    public IReadOnlyList<ProviderState> Sharing { get; }

    public IReadOnlyDictionary<string, ProviderState> Providers { get; }

    /// <summary>Providers of each tree, by root uuid, in <see cref="ProviderState.Order"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ProviderState>> Trees { get; }

    public IReadOnlyList<ProviderState> Roots { get; }

    /// <summary>True when some provider has a parent (PA-47 matters only then).</summary>
    public bool HasNested { get; }
}
