using PciPassthrough.Core.Placement;

namespace PciPassthrough.Host.Discovery;

/// <summary>The Placement side of a host's inventory: the provider view and what a first report would write.</summary>
/// <param name="View">The providers with their devices (06 §2–4).</param>
/// <param name="Plan">Inventories and traits as written to an empty Placement (06 PM-16…PM-19).</param>
public sealed record HostPlacement(PciPlacementView View, PciPlacementPlan Plan)
{
    /// <summary>The provider each reported device is counted on, by device address.</summary>
    public IReadOnlyDictionary<string, string> ProviderOf { get; } = Plan.Providers
        .SelectMany(p => p.Devices.Select(d => (d.Address, p.Name)))
        .ToDictionary(x => x.Address, x => x.Name, StringComparer.Ordinal);
}
