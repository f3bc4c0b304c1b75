using PciPassthrough.Core.Devices;

namespace PciPassthrough.Core.Placement;

/// <summary>What to write for one PCI provider (06 PM-17…PM-19).</summary>
/// <param name="Name">The provider name (PM-6).</param>
/// <param name="Uuid">Its uuid; a new provider gets one from the compute (PM-6).</param>
/// <param name="IsNew">The provider must be created.</param>
/// <param name="ResourceClass">The class of its single inventory.</param>
/// <param name="Total">Inventory total and max_unit (PM-17).</param>
/// <param name="Reserved">Set only for a one-time-use device in use (PM-19); null leaves Placement's value.</param>
/// <param name="Traits">Exactly the provider's traits (PM-12).</param>
/// <param name="Adjustment">Added to the device count to cover existing allocations (PM-16).</param>
/// <param name="Devices">The devices counted on the provider.</param>
public sealed record PciProviderPlan(
    string Name, string Uuid, bool IsNew, string ResourceClass, int Total, int? Reserved, IReadOnlySet<string> Traits,
    int Adjustment, IReadOnlyList<TrackedDevice> Devices);
