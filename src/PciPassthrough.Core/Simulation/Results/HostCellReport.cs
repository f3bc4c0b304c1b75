using PciPassthrough.Core.Numa;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A host NUMA cell with its current usage; huge pages in input order, 4 KiB pages not listed (§4.3).</summary>
public sealed record HostCellReport(
    int Id,
    int? Socket,
    IReadOnlyList<int> Cpus,
    IReadOnlyList<int> Pcpus,
    long MemoryMb,
    Int128 CpuUsage,
    Int128 MemoryUsageMb,
    IReadOnlyList<int> PinnedCpus,
    IReadOnlyList<NumaPages> HugePages);
