using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Numa;

/// <summary>What a NUMA fit takes besides the two topologies (05 §2 inputs).</summary>
public sealed record NumaFitOptions
{
    /// <summary>Allocation-ratio limits and network metadata; null = none (a compute claim without scheduler limits).</summary>
    public NumaLimits? Limits { get; init; }

    /// <summary>The boot's PCI requests (flavor and ports).</summary>
    public IReadOnlyList<PciRequest> PciRequests { get; init; } = [];

    /// <summary>The host's pool view; null = no pools, which skips the PCI ordering step and the PCI check.</summary>
    public IPciNumaView? Pci { get; init; }

    /// <summary><c>[compute] packing_host_numa_cells_allocation_strategy</c> (NF-9).</summary>
    public bool PackCells { get; init; }
}
