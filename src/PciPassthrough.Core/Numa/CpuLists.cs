namespace PciPassthrough.Core.Numa;

/// <summary>
/// Sorted CPU lists and sibling sets built with plain loops: every host start builds one sibling set per CPU, and the
/// LINQ chains (<c>Where</c>, <c>Distinct</c>, <c>Order</c>) cost ~10 objects per set.
/// </summary>
internal static class CpuLists
{
    /// <summary>The CPUs ascending, each once.</summary>
    public static List<int> SortedDistinct(IEnumerable<int> cpus)
    {
        List<int> sorted = [.. cpus];
        sorted.Sort();
        var kept = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            if (kept == 0 || sorted[i] != sorted[kept - 1])
            {
                sorted[kept++] = sorted[i];
            }
        }

        sorted.RemoveRange(kept, sorted.Count - kept);
        return sorted;
    }

    /// <summary>Every CPU its own sibling set (no SMT), in the order given.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Singletons(IReadOnlyList<int> cpus)
    {
        var sets = new IReadOnlyList<int>[cpus.Count];
        for (var i = 0; i < sets.Length; i++)
        {
            sets[i] = new[] { cpus[i] };
        }

        return sets;
    }

    /// <summary>Each set reduced to the CPUs in <paramref name="cpus"/>, ascending and distinct; empty sets dropped.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Within(IEnumerable<IEnumerable<int>> sets, HashSet<int> cpus)
    {
        var result = new List<IReadOnlyList<int>>();
        var scratch = new List<int>();
        foreach (var set in sets)
        {
            scratch.Clear();
            foreach (var cpu in set)
            {
                if (cpus.Contains(cpu) && !scratch.Contains(cpu))
                {
                    scratch.Add(cpu);
                }
            }

            if (scratch.Count > 0)
            {
                scratch.Sort();
                result.Add(scratch.ToArray());
            }
        }

        return result;
    }
}
