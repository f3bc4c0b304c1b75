using System.Numerics;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// One host NUMA cell: its CPUs, memory and pages, and their usage (scenario-format §2.3.1). Immutable: usage
/// changes (SIM-38) make a new cell. Use <see cref="Create"/> to get the implied 4 KiB pages right.
/// </summary>
public sealed record HostNumaCell
{
    public required int Id { get; init; }
    public int? Socket { get; init; }

    /// <summary>Shared host CPUs (VCPU inventory), ascending.</summary>
    public IReadOnlyList<int> Cpus { get; init; } = [];

    /// <summary>Dedicated host CPUs (PCPU inventory), ascending.</summary>
    public IReadOnlyList<int> Pcpus { get; init; } = [];

    public required long MemoryMb { get; init; }

    /// <summary>SMT sibling sets in host order, each ascending; every CPU alone without SMT.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Siblings { get; init; } = [];

    /// <summary>How Nova's sets iterate <see cref="Siblings"/> and <see cref="Pcpus"/> (SIM-39); null = ascending.</summary>
    internal CpuSetOrder? SetOrder { get; init; }

    /// <summary>The 4 KiB pages first, then the huge pages in input order.</summary>
    public IReadOnlyList<NumaPages> Pages { get; init; } = [];

    // Python ints in the reference: guests add to what the scenario gives, past 2^63 (SIM-38)
    public Int128 CpuUsage { get; init; }
    public Int128 MemoryUsageMb { get; init; }

    /// <summary>Dedicated CPUs pinned by guests, ascending.</summary>
    public IReadOnlyList<int> PinnedCpus { get; init; } = [];

    /// <summary>Physical networks with NUMA affinity to this cell (SIM-37).</summary>
    public IReadOnlyList<string> Physnets { get; init; } = [];

    /// <summary>Tunnelled networks have NUMA affinity to this cell.</summary>
    public bool Tunneled { get; init; }

    /// <summary>The huge pages as reported (every size but 4 KiB), in input order.</summary>
    public IEnumerable<NumaPages> HugePages => Pages.Where(pages => pages.SizeKb != NumaPages.SmallSizeKb);

    public Int128 AvailableMemoryMb => MemoryMb - MemoryUsageMb;

    /// <summary>Dedicated CPUs not pinned yet.</summary>
    public int FreePcpuCount
    {
        get
        {
            var free = 0;
            foreach (var cpu in Pcpus)
            {
                free += PinnedCpus.Contains(cpu) ? 0 : 1;
            }

            return free;
        }
    }

    /// <summary>Some sibling set has more than one CPU.</summary>
    public bool HasThreads => Siblings.Any(set => set.Count > 1);

    /// <summary>
    /// A cell with its 4 KiB pages derived from the memory not given to huge pages:
    /// ⌊(memory_mb·1024 − Σ size_kb·total) / 4⌋, at least 0. Without <paramref name="siblings"/> every CPU is its
    /// own sibling set.
    /// </summary>
    public static HostNumaCell Create(int id, long memoryMb, IEnumerable<int> cpus, IEnumerable<int> pcpus,
        IEnumerable<NumaPages>? hugePages = null, IEnumerable<IEnumerable<int>>? siblings = null, int? socket = null)
    {
        List<NumaPages> huge = [.. hugePages ?? []];
        var hugeKb = huge.Aggregate(BigInteger.Zero, (sum, pages) => sum + ((BigInteger)pages.SizeKb * pages.Total));
        var smallPages = BigInteger.Max(0, (((BigInteger)memoryMb * 1024) - hugeKb) / NumaPages.SmallSizeKb);
        var shared = CpuLists.SortedDistinct(cpus);
        var dedicated = CpuLists.SortedDistinct(pcpus);
        var all = new HashSet<int>(shared);
        all.UnionWith(dedicated);
        return new HostNumaCell
        {
            Id = id,
            Socket = socket,
            Cpus = shared,
            Pcpus = dedicated,
            MemoryMb = memoryMb,
            Siblings = siblings is null ? CpuLists.Singletons(CpuLists.SortedDistinct(all)) : CpuLists.Within(siblings, all),
            Pages = [new NumaPages(NumaPages.SmallSizeKb, (Int128)smallPages, 0), .. huge],
        };
    }
}
