using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Cli.Commands;

/// <summary>What <c>pcictl config check</c> understood from one file, and what is wrong with it.</summary>
internal sealed record ConfigCheckReport(
    string File,
    NovaConfOptions Options,
    IReadOnlyList<NovaConfError> Errors,
    IReadOnlyList<NovaConfWarning> Warnings)
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

    public sealed record Setting(string Section, string Key, object? Value, ConfLocation? Location)
    {
        public string Name => $"[{Section}] {Key}";
    }
}
