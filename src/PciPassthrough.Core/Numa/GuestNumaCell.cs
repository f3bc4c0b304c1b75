namespace PciPassthrough.Core.Numa;

/// <summary>
/// One requested guest NUMA cell (05 NF-5…NF-7): its guest CPUs split into shared and dedicated ones, its memory,
/// and the page size and CPU policies every cell of the guest shares.
/// </summary>
public sealed record GuestNumaCell
{
    /// <summary>The guest node number, 0-based.</summary>
    public required int Id { get; init; }

    /// <summary>Guest CPUs that float over shared host CPUs, ascending.</summary>
    public required IReadOnlyList<int> SharedCpus { get; init; }

    /// <summary>Guest CPUs pinned to dedicated host CPUs, ascending.</summary>
    public required IReadOnlyList<int> DedicatedCpus { get; init; }

    public required long MemoryMb { get; init; }

    /// <summary>Requested page size: null (none), a <see cref="MemoryPageSize"/> class code or KiB.</summary>
    public long? PageSizeKb { get; init; }

    public CpuPolicy? CpuPolicy { get; init; }
    public CpuThreadPolicy? CpuThreadPolicy { get; init; }

    /// <summary>Dedicated or mixed: the cell needs pinned host CPUs.</summary>
    public bool IsPinned => CpuPolicy is Numa.CpuPolicy.Dedicated or Numa.CpuPolicy.Mixed;
}
