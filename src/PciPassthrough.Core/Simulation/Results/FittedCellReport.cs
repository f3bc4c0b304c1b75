namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A guest cell placed on a host cell, with the page size chosen and the CPU pinning (§4.4).</summary>
public sealed record FittedCellReport(
    int GuestCell,
    int HostCell,
    IReadOnlyList<int> Cpus,
    IReadOnlyList<int> SharedCpus,
    IReadOnlyList<int> DedicatedCpus,
    long MemoryMb,
    long? PagesizeKb,
    IReadOnlyList<KeyValuePair<int, int>>? CpuPinning,
    IReadOnlyList<int>? CpusetReserved);
