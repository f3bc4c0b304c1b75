namespace PciPassthrough.Core.Simulation.Results;

/// <summary>The guest NUMA topology the API computed (05 NF-1…NF-7).</summary>
public sealed record GuestTopologyReport(IReadOnlyList<GuestCellReport> Cells, string? EmulatorThreadsPolicy);
