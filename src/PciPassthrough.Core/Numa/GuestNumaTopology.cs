using System.Numerics;

namespace PciPassthrough.Core.Numa;

/// <summary>The NUMA shape a guest asks for (05 NF-1…NF-7); null elsewhere means "no topology".</summary>
public sealed record GuestNumaTopology(IReadOnlyList<GuestNumaCell> Cells, EmulatorThreadsPolicy? EmulatorThreadsPolicy)
{
    /// <summary>05 NF-12: the first cell needs one more dedicated host CPU for the emulator threads.</summary>
    public bool EmulatorThreadsIsolated => EmulatorThreadsPolicy == Numa.EmulatorThreadsPolicy.Isolate;

    /// <summary>
    /// The page size every cell asks for (<see cref="MemoryPageSize"/>), exact: the reference's integers have no bound.
    /// The cells hold it saturated to 64 bits, which only ever means "no host page has this size".
    /// </summary>
    public BigInteger? PageSizeKb { get; init; }

    /// <summary>The CPU policy every cell carries (they share it).</summary>
    public CpuPolicy? CpuPolicy => Cells.Count > 0 ? Cells[0].CpuPolicy : null;
}
