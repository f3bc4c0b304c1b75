namespace PciPassthrough.Core.Placement;

/// <summary>
/// The standard Placement names (06 PM-10, PM-11): resource classes of <c>os-resource-classes</c> 1.1.0 and traits of
/// <c>os-traits</c> 2.9.0 (what Nova 26 ships with), plus the PCI traits newer releases added.
/// </summary>
public static class StandardNames
{
    /// <summary>Traits newer than <c>os-traits</c> 2.9.0 that the newest Nova sets on PCI providers (PM-12).</summary>
    public const string LiveMigratableTrait = "HW_PCI_LIVE_MIGRATABLE", OneTimeUseTrait = "HW_PCI_ONE_TIME_USE";

    public const string ManagedPciDeviceTrait = "COMPUTE_MANAGED_PCI_DEVICE", OwnerNovaTrait = "OWNER_NOVA";

    /// <summary>Placement's standard resource classes (the scheduler's capacity check knows them first).</summary>
    public static IReadOnlySet<string> ResourceClasses => Flavors.PlacementNames.ResourceClasses;

    /// <summary>The standard traits of <paramref name="release"/>.</summary>
    public static IReadOnlySet<string> TraitsOf(NovaRelease release) =>
        release == NovaRelease.Zed ? Flavors.PlacementNames.Traits : _latestTraits;

    private static readonly HashSet<string> _latestTraits =
        new(Flavors.PlacementNames.Traits.Append(LiveMigratableTrait).Append(OneTimeUseTrait), StringComparer.Ordinal);
}
