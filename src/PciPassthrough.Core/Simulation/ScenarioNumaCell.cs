using PciPassthrough.Core.Numa;

namespace PciPassthrough.Core.Simulation;

/// <summary>One host NUMA cell with the usage of servers outside the scenario (scenario-format §2.3.1).</summary>
public sealed record ScenarioNumaCell
{
    public required int Id { get; init; }
    public int? Socket { get; init; }

    /// <summary>Shared host CPUs (VCPU inventory), ascending.</summary>
    public IReadOnlyList<int> Cpus { get; init; } = [];

    /// <summary>Dedicated host CPUs (PCPU inventory), ascending.</summary>
    public IReadOnlyList<int> Pcpus { get; init; } = [];

    public required long MemoryMb { get; init; }

    /// <summary>SMT sibling sets, already intersected with <c>cpus ∪ pcpus</c>, empty sets dropped.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Siblings { get; init; } = [];

    /// <summary>How Nova's sets iterate the sibling sets and dedicated CPUs (SIM-39); null when it cannot matter.</summary>
    internal CpuSetOrder? SetOrder { get; init; }

    /// <summary>Huge pages, in input order; the 4 KiB pages are implied (scenario-format §2.3.1).</summary>
    public IReadOnlyList<NumaPages> HugePages { get; init; } = [];

    public long CpuUsage { get; init; }
    public long MemoryUsageMb { get; init; }
    public IReadOnlyList<int> PinnedCpus { get; init; } = [];

    /// <summary>Physical networks with NUMA affinity to this cell (SIM-37).</summary>
    public IReadOnlyList<string> Physnets { get; init; } = [];

    public bool Tunneled { get; init; }
}
