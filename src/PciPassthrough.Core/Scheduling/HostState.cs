using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Pools;

namespace PciPassthrough.Core.Scheduling;

/// <summary>What the scheduler knows of one compute node when it filters: capacity, pool summary, NUMA cells.</summary>
public sealed record HostState
{
    public required string Name { get; init; }
    public required HostCapacity Capacity { get; init; }

    /// <summary>The traits of the compute node's own Placement provider (e.g. 05 NF-17's).</summary>
    public IReadOnlySet<string> Traits { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The pool summary the compute publishes (04 PL-7); null when it publishes none.</summary>
    public PoolSummary? Pools { get; init; }

    /// <summary>The host's NUMA cells with their usage; null when the hypervisor reports no topology.</summary>
    public HostNumaTopology? Numa { get; init; }

    public double CpuAllocationRatio { get; init; } = 16.0;
    public double RamAllocationRatio { get; init; } = 1.5;

    /// <summary><c>[compute] packing_host_numa_cells_allocation_strategy</c> (05 NF-9).</summary>
    public bool PackNumaCells { get; init; }

    /// <summary>
    /// The host's Placement allocation candidates when PCI is scheduled through Placement (06 §7); null otherwise, and
    /// always under Zed (scenario-format §6).
    /// </summary>
    public IReadOnlyList<AllocationCandidate>? AllocationCandidates { get; init; }

    /// <summary>The metadata of every host aggregate the host is in (per-aggregate weigher multipliers, 05 NF-20).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> AggregateMetadata { get; init; } = [];
}
