namespace PciPassthrough.Core.Placement;

/// <summary>
/// What Placement holds for one compute before a PCI update (06 PM-16, PM-18, PM-21): its child providers and the
/// allocations of its consumers, consumer → provider uuid → resource class → amount.
/// </summary>
public sealed record PlacementState(
    IReadOnlyList<PlacementProviderState> Providers,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>> Allocations)
{
    public static PlacementState Empty { get; } = new([], new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>>());
}
