namespace PciPassthrough.Host.NovaConf;

/// <summary>
/// The typed view of the <c>nova.conf</c> options PCI passthrough reads, with oslo.config's types, defaults,
/// deprecated names and <c>$reference</c> substitution applied. Every value keeps its file and line; an invalid
/// value is reported in <see cref="Errors"/> and its default is used so that the rest can still be checked.
/// </summary>
public sealed record NovaConfOptions
{
    /// <summary><c>[DEFAULT] host</c>; null when unset (Nova then uses the machine's host name).</summary>
    public required ConfSetting<string?> Host { get; init; }

    /// <summary>
    /// <c>[pci] device_spec</c> values in the order Nova reads them: the deprecated
    /// <c>[DEFAULT] pci_passthrough_whitelist</c> first, then <c>[pci] passthrough_whitelist</c>, then
    /// <c>[pci] device_spec</c>, each in file order (<see cref="NovaConfEntry.Key"/> says which name was used).
    /// </summary>
    public required IReadOnlyList<NovaConfEntry> DeviceSpecs { get; init; }

    /// <summary><c>[pci] alias</c> values: the deprecated <c>[DEFAULT] pci_alias</c> first, then <c>[pci] alias</c>.</summary>
    public required IReadOnlyList<NovaConfEntry> Aliases { get; init; }

    /// <summary><c>[pci] report_in_placement</c>, default false.</summary>
    public required ConfSetting<bool> ReportInPlacement { get; init; }

    /// <summary><c>[filter_scheduler] pci_in_placement</c>, default false.</summary>
    public required ConfSetting<bool> PciInPlacement { get; init; }

    /// <summary><c>[filter_scheduler] pci_weight_multiplier</c>, default 1.0, at least 0.</summary>
    public required ConfSetting<double> PciWeightMultiplier { get; init; }

    /// <summary><c>[scheduler] image_metadata_prefilter</c>, default false (07 LV-19).</summary>
    public required ConfSetting<bool> ImageMetadataPrefilter { get; init; }

    /// <summary><c>[compute] packing_host_numa_cells_allocation_strategy</c>, default false.</summary>
    public required ConfSetting<bool> PackingHostNumaCellsAllocationStrategy { get; init; }

    /// <summary><c>[DEFAULT] cpu_allocation_ratio</c>; when unset (Nova's None) the scenario format's 16.0 stands in
    /// and the agent does not send it.</summary>
    public required ConfSetting<double> CpuAllocationRatio { get; init; }

    /// <summary><c>[DEFAULT] ram_allocation_ratio</c>; when unset the scenario format's 1.5 stands in.</summary>
    public required ConfSetting<double> RamAllocationRatio { get; init; }

    /// <summary><c>[DEFAULT] reserved_host_memory_mb</c>, default 512, at least 0.</summary>
    public required ConfSetting<long> ReservedHostMemoryMb { get; init; }

    /// <summary>The file's parse errors, then the values the option types refuse, in line order.</summary>
    public required IReadOnlyList<NovaConfError> Errors { get; init; }

    /// <summary>What Nova would silently ignore or override, in line order.</summary>
    public required IReadOnlyList<NovaConfWarning> Warnings { get; init; }

    public static NovaConfOptions Read(NovaConfFile conf)
    {
        ArgumentNullException.ThrowIfNull(conf);
        return new NovaConfOptionsReader(conf).Read();
    }
}
