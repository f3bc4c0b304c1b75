namespace PciPassthrough.Core.PlacementApi;

/// <summary>A resource provider as the candidate search sees it: place in its tree, inventories with usage,
/// traits, aggregates. <see cref="Order"/> is its position in a stable listing (results come out in that order).</summary>
public sealed record ProviderState(
    string Uuid, string? ParentUuid, string RootUuid, int Order,
    IReadOnlyDictionary<string, InventoryState> Inventories, IReadOnlySet<string> Traits, IReadOnlySet<string> Aggregates)
{
    /// <summary>The trait that makes a provider share its inventory with every tree in one of its aggregates (PA-45).</summary>
    public const string SharingTrait = "MISC_SHARES_VIA_AGGREGATE";

    public bool IsSharing => Traits.Contains(SharingTrait);

    public bool Fits(string resourceClass, long amount) =>
        Inventories.TryGetValue(resourceClass, out var inventory) && inventory.Fits(amount);
}
