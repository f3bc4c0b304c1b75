using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Libvirt;

namespace PciPassthrough.Core.Simulation;

/// <summary>One compute node of a scenario (scenario-format §2.3).</summary>
public sealed record ScenarioHost
{
    public required string Name { get; init; }

    /// <summary>This compute's <c>[pci] device_spec</c> lines (the global ones unless the host overrides them).</summary>
    public IReadOnlyList<string> DeviceSpec { get; init; } = [];

    public double CpuAllocationRatio { get; init; } = 16.0;
    public double RamAllocationRatio { get; init; } = 1.5;
    public long ReservedHostMemoryMb { get; init; } = 512;
    public required IReadOnlyList<ScenarioNumaCell> NumaCells { get; init; }

    /// <summary>What the hypervisor reports, in its order (04 PL-21 depends on it).</summary>
    public IReadOnlyList<PciDeviceRecord> PciDevices { get; init; } = [];

    /// <summary>What the agent's libvirt reports (07 LV-18); null for a scenario host, which is
    /// <see cref="HypervisorCapabilities.Assumed"/>.</summary>
    public HypervisorCapabilities? Hypervisor { get; init; }
}
