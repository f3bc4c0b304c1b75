using PciPassthrough.Core.Config;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// What <c>pcictl config check</c> understood from one file, and what is wrong with it. <c>Root</c> is the
/// <c>--root</c> directory or null; <c>Host</c> what that tree holds, null without one or when the
/// <c>device_spec</c>s are invalid (such a compute refuses to start).
/// </summary>
internal sealed record ConfigCheckReport(
    string File,
    string? Root,
    NovaConfOptions Options,
    IReadOnlyList<ConfigCheckReport.CheckedSpec> DeviceSpecs,
    IReadOnlyList<ConfigCheckReport.CheckedAlias> Aliases,
    IReadOnlyList<NovaConfError> Errors,
    IReadOnlyList<NovaConfWarning> Warnings,
    ConfigCheckReport.HostTree? Host)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The single-valued options, typed (<see cref="string"/>, <see cref="bool"/> or <see cref="double"/>);
    /// a null location means Nova's default.</summary>
    public IReadOnlyList<Setting> Settings =>
    [
        new("DEFAULT", "host", Options.Host.Value, Options.Host.Location),
        new("pci", "report_in_placement", Options.ReportInPlacement.Value, Options.ReportInPlacement.Location),
        new("filter_scheduler", "pci_in_placement", Options.PciInPlacement.Value, Options.PciInPlacement.Location),
        new("filter_scheduler", "pci_weight_multiplier", Options.PciWeightMultiplier.Value,
            Options.PciWeightMultiplier.Location),
        new("compute", "packing_host_numa_cells_allocation_strategy",
            Options.PackingHostNumaCellsAllocationStrategy.Value, Options.PackingHostNumaCellsAllocationStrategy.Location),
    ];

    /// <summary>One parsed <c>device_spec</c> entry and the option value it came from (a list value gives several).</summary>
    /// <param name="Entry">The option value.</param>
    /// <param name="Spec">The parsed spec.</param>
    /// <param name="Selected">With <c>--root</c>, the functions of the tree it governs (01 DS-5), in address order;
    /// else null.</param>
    public sealed record CheckedSpec(NovaConfEntry Entry, DeviceSpec Spec, IReadOnlyList<InventoryDevice>? Selected)
    {
        /// <summary>
        /// Without a host tree, a single address (01 DS-20) or a devname (DS-25): only the compute can tell whether it
        /// names an SR-IOV PF, whose VFs the spec then selects too.
        /// </summary>
        public bool IsResolvedOnCompute =>
            Selected is null && (Spec.Devname is not null || Spec.Address is { IsSingleAddress: true });
    }

    /// <summary>The host tree given with <c>--root</c>: what discovery said, and the functions no spec selects (01
    /// DS-36: the compute does not track them), each with the reason.</summary>
    public sealed record HostTree(IReadOnlyList<DiscoveryWarning> Warnings, IReadOnlyList<InventoryDevice> Unselected);

    /// <summary>One alias and the line of each of its specs, in the same order.</summary>
    public sealed record CheckedAlias(PciAlias Alias, IReadOnlyList<ConfLocation> SpecLocations);

    public sealed record Setting(string Section, string Key, object? Value, ConfLocation? Location)
    {
        public string Name => $"[{Section}] {Key}";
    }
}
