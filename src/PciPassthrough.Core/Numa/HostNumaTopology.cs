namespace PciPassthrough.Core.Numa;

/// <summary>A host's NUMA cells in the order the hypervisor reports them.</summary>
public sealed record HostNumaTopology(IReadOnlyList<HostNumaCell> Cells)
{
    /// <summary>Some cell has SMT siblings (the NUMATopologyFilter's <c>require</c> check, SIM-34 item 3).</summary>
    public bool HasThreads => Cells.Any(cell => cell.HasThreads);
}
