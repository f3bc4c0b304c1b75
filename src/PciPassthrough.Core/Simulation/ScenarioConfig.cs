namespace PciPassthrough.Core.Simulation;

/// <summary>The <c>nova.conf</c> options of a scenario (scenario-format §2.2); option lines are text already.</summary>
public sealed record ScenarioConfig
{
    /// <summary><c>[pci] device_spec</c> lines, after the §2.2 conversion of non-string items.</summary>
    public IReadOnlyList<string> DeviceSpec { get; init; } = [];

    /// <summary><c>[pci] alias</c> lines, same conversion.</summary>
    public IReadOnlyList<string> Alias { get; init; } = [];

    public bool ReportInPlacement { get; init; }

    /// <summary><c>[compute] packing_host_numa_cells_allocation_strategy</c> (05 NF-9).</summary>
    public bool PackNumaCells { get; init; }

    /// <summary><c>[scheduler] image_metadata_prefilter</c> (07 LV-19), a controller option: scenarios leave it off,
    /// as Nova's default.</summary>
    public bool ImageMetadataPrefilter { get; init; }
}
