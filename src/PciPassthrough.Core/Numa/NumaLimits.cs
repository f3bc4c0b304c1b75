namespace PciPassthrough.Core.Numa;

/// <summary>
/// What the NUMATopologyFilter lets shared CPUs and memory grow to on a host cell (05 NF-13), and the boot's
/// network metadata for NUMA affinity (SIM-37).
/// </summary>
public sealed record NumaLimits(double CpuAllocationRatio, double RamAllocationRatio, NetworkMetadata? Network = null);
