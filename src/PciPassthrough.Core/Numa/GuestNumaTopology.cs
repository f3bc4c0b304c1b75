namespace PciPassthrough.Core.Numa;

/// <summary>The NUMA shape a guest asks for (05 NF-1…NF-7); null elsewhere means "no topology".</summary>
public sealed record GuestNumaTopology(IReadOnlyList<GuestNumaCell> Cells, EmulatorThreadsPolicy? EmulatorThreadsPolicy)
{
    /// <summary>05 NF-12: the first cell needs one more dedicated host CPU for the emulator threads.</summary>
    public bool EmulatorThreadsIsolated => EmulatorThreadsPolicy == Numa.EmulatorThreadsPolicy.Isolate;

    /// <summary>The CPU policy every cell carries (they share it).</summary>
    public CpuPolicy? CpuPolicy => Cells.Count > 0 ? Cells[0].CpuPolicy : null;
}
