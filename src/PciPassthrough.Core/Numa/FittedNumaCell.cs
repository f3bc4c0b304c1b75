namespace PciPassthrough.Core.Numa;

/// <summary>
/// A guest cell placed on a host cell (scenario-format §4.4 <c>numa_cells</c>): the chosen page size and, for
/// pinned cells, which host CPU each dedicated guest CPU runs on plus the host CPUs reserved for emulator threads.
/// </summary>
public sealed record FittedNumaCell
{
    /// <summary>Index of the guest cell.</summary>
    public required int GuestCell { get; init; }

    public required int HostCellId { get; init; }
    public required IReadOnlyList<int> SharedCpus { get; init; }
    public required IReadOnlyList<int> DedicatedCpus { get; init; }
    public required long MemoryMb { get; init; }

    /// <summary>The page size used in KiB; null when the guest asked for none (then the smallest page backs it).</summary>
    public long? PageSizeKb { get; init; }

    public CpuPolicy? CpuPolicy { get; init; }
    public CpuThreadPolicy? CpuThreadPolicy { get; init; }

    /// <summary>Guest CPU → host CPU, or null for an unpinned cell.</summary>
    public IReadOnlyDictionary<int, int>? CpuPinning { get; init; }

    /// <summary>Host CPUs reserved for the emulator threads (NF-12), ascending, or null.</summary>
    public IReadOnlyList<int>? CpusetReserved { get; init; }

    /// <summary>All guest CPUs of the cell, ascending.</summary>
    public IReadOnlyList<int> Cpus => [.. SharedCpus.Union(DedicatedCpus).Order()];

    public bool IsPinned => CpuPolicy is Numa.CpuPolicy.Dedicated or Numa.CpuPolicy.Mixed;
}
