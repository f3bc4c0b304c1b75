namespace PciPassthrough.Core.Config;

/// <summary>The settings <c>[pci] alias</c> parsing depends on.</summary>
public sealed record PciAliasOptions
{
    /// <summary>Zed knows neither <c>resource_class</c>, <c>traits</c> nor <c>live_migratable</c> and lets ids be omitted
    /// (scenario-format §6).</summary>
    public NovaRelease Release { get; init; } = NovaRelease.Latest;

    /// <summary><c>[filter_scheduler] pci_in_placement</c>: changes the whole-set checks of 03 RQ-9.</summary>
    public bool PciInPlacement { get; init; }
}
