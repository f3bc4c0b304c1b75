using System.Globalization;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Host.Topology;

/// <summary>
/// The host's NUMA cells as libvirt reports them to Nova: one per <c>sys/devices/system/node/node&lt;N&gt;</c> with
/// its <c>cpulist</c> and <c>meminfo</c> MemTotal; the socket is the <c>physical_package_id</c> of its CPUs, the
/// SMT sibling sets their <c>thread_siblings_list</c>. A host without node directories (no NUMA support) is one
/// cell 0 with every online CPU and <c>proc/meminfo</c>'s MemTotal.
/// </summary>
/// <remarks>Every CPU is shared (<c>cpus</c>): the agent does not read <c>[compute] cpu_dedicated_set</c>.</remarks>
public sealed class NumaTopologyReader(string root)
{
    public IReadOnlyList<ScenarioNumaCell> Read()
    {
        var nodes = Path.Combine(root, "sys", "devices", "system", "node");
        var cells = Directory.Exists(nodes)
            ? Directory.EnumerateDirectories(nodes, "node*")
                .Select(path => (Path: path, Id: NodeId(Path.GetFileName(path))))
                .Where(node => node.Id is not null)
                .OrderBy(node => node.Id)
                .Select(node => Cell(node.Id!.Value, ReadCpuList(Path.Combine(node.Path, "cpulist")),
                    MemTotalKb(Path.Combine(node.Path, "meminfo"))))
                .ToList()
            : [];
        return cells.Count > 0 ? cells
            : [Cell(0, ReadCpuList(Path.Combine(root, "sys", "devices", "system", "cpu", "online")),
                MemTotalKb(Path.Combine(root, "proc", "meminfo")))];
    }

    /// <summary>Above any CPU id the kernel writes (its NR_CPUS is at most 8192): a range reaching past it is no cpu
    /// list of a real host, and taking it would list billions of CPUs.</summary>
    private const int MaxCpuId = 65535;

    /// <summary>Parses the kernel's cpu list form, <c>0-3,8,10-11</c>; an empty or unreadable list is no CPU, and a
    /// part that is no CPU id or range of ids (up to <see cref="MaxCpuId"/>) is skipped.</summary>
    public static IReadOnlyList<int> ParseCpuList(string text)
    {
        var cpus = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0 && TryInt(part, out var single) && single <= MaxCpuId)
            {
                cpus.Add(single);
            }
            else if (dash > 0 && TryInt(part[..dash], out var first) && TryInt(part[(dash + 1)..], out var last)
                && first <= last && last <= MaxCpuId)
            {
                cpus.UnionWith(Enumerable.Range(first, last - first + 1));
            }
        }

        return [.. cpus];
    }

    private ScenarioNumaCell Cell(int id, IReadOnlyList<int> cpus, long memTotalKb)
    {
        var topology = cpus.Select(cpu => (Cpu: cpu, Package: Package(cpu), Siblings: Siblings(cpu))).ToList();
        var inCell = cpus.ToHashSet();
        return new ScenarioNumaCell
        {
            Id = id,
            Socket = topology.Select(t => t.Package).FirstOrDefault(package => package is not null),
            Cpus = cpus,
            MemoryMb = memTotalKb / 1024,
            Siblings = [.. topology
                .Select(t => (IReadOnlyList<int>)[.. (t.Siblings.Count > 0 ? t.Siblings : [t.Cpu]).Where(inCell.Contains)])
                .Where(set => set.Count > 0)
                .DistinctBy(set => string.Join(',', set))
                .OrderBy(set => set[0])],
        };
    }

    private int? Package(int cpu) =>
        ReadText(CpuTopology(cpu, "physical_package_id")) is { } text && TryInt(text.Trim(), out var package) && package >= 0
            ? package : null;

    private IReadOnlyList<int> Siblings(int cpu) => ReadCpuList(CpuTopology(cpu, "thread_siblings_list"));

    private string CpuTopology(int cpu, string file) =>
        Path.Combine(root, "sys", "devices", "system", "cpu", string.Create(CultureInfo.InvariantCulture, $"cpu{cpu}"), "topology", file);

    private static IReadOnlyList<int> ReadCpuList(string path) => ParseCpuList(ReadText(path) ?? "");

    /// <summary>The <c>MemTotal:</c> line of a meminfo file (<c>proc/meminfo</c>, or a node's, which starts
    /// <c>Node 0 MemTotal:</c>), in kB; 0 when absent.</summary>
    private static long MemTotalKb(string path)
    {
        foreach (var line in (ReadText(path) ?? "").Split('\n'))
        {
            var at = line.IndexOf("MemTotal:", StringComparison.Ordinal);
            if (at >= 0 && long.TryParse(line[(at + "MemTotal:".Length)..].Replace("kB", "", StringComparison.Ordinal).Trim(),
                NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                return kb;
            }
        }

        return 0;
    }

    private static int? NodeId(string name) =>
        name.Length > 4 && TryInt(name[4..], out var id) && id >= 0 ? id : null;

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
