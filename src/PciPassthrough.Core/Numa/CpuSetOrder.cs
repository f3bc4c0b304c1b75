namespace PciPassthrough.Core.Numa;

/// <summary>
/// How Nova's Python sets iterate a host cell's sibling sets and dedicated CPUs (SIM-39). Nova pins the first CPUs of
/// each free sibling set in iteration order, which is not ascending once CPU numbers collide in the set's hash table
/// (e.g. <c>{3, 11}</c> iterates <c>11, 3</c>), and each copy Nova makes of the cell re-inserts the CPUs in the order
/// they iterate, which can reorder them again. Only the simulation tracks it, and only for cells with SMT siblings.
/// </summary>
/// <param name="Siblings">The sibling sets, index for index as <see cref="HostNumaCell.Siblings"/>.</param>
/// <param name="Pcpus">The dedicated CPUs.</param>
internal sealed record CpuSetOrder(IReadOnlyList<int[]> Siblings, int[] Pcpus)
{
    /// <summary>
    /// The cell as the scenario builds it: <c>set(siblings[i]) &amp; (set(cpus) | set(pcpus))</c> (empty sets dropped),
    /// then the sets given to a new cell object; null when no sibling set has two CPUs (the order cannot matter).
    /// </summary>
    public static CpuSetOrder? Build(IEnumerable<int> cpus, IEnumerable<int> pcpus, IEnumerable<IEnumerable<int>> siblings)
    {
        var dedicated = PythonIntSet.Of(pcpus);
        var all = PythonIntSet.CopyOf(PythonIntSet.Of(cpus));
        all.Merge(dedicated);
        var cellCpus = all.Order();
        List<int[]> sets = [.. siblings.Select(set => Intersection(Inserted(set), cellCpus)).Where(set => set.Length > 0)];
        return sets.Any(set => set.Length > 1)
            ? new CpuSetOrder([.. sets.Select(Coerced)], Coerced(dedicated.Order()))
            : null;
    }

    /// <summary>A new cell object made from this one (<c>numa_usage_from_instance_numa</c>).</summary>
    public CpuSetOrder Coerced() => new([.. Siblings.Select(Coerced)], Coerced(Pcpus));

    /// <summary><c>copy.deepcopy</c> of the cell: each set rebuilt from its items, then coerced (the sibling list twice).</summary>
    public CpuSetOrder DeepCopied() =>
        new([.. Siblings.Select(set => Coerced(Coerced(Inserted(set))))], Coerced(Inserted(Pcpus)));

    /// <summary>The cell after the compute node record's JSON round trip: each set rebuilt from the list, then coerced.</summary>
    public CpuSetOrder RoundTripped() => new([.. Siblings.Select(set => Coerced(Inserted(set)))], Coerced(Inserted(Pcpus)));

    /// <summary>
    /// <c>free_siblings</c>: each sibling set intersected with <c>pcpuset - pinned_cpus</c>, in iteration order (empty
    /// sets included, index for index).
    /// </summary>
    public IEnumerable<int[]> FreeSiblings(IReadOnlyCollection<int> pinned)
    {
        var pinnedSet = pinned.ToHashSet();
        var unpinned = Pcpus.Where(cpu => !pinnedSet.Contains(cpu));
        // CPython copies a set 4 times larger than what it subtracts and removes from the copy, which keeps the order
        // (pcpuset is itself a fresh copy, so the copy has its layout); otherwise it adds the rest to a new set
        int[] free = (Pcpus.Length >> 2) > pinned.Count ? [.. unpinned] : Inserted(unpinned);
        return Siblings.Select(set => Intersection(set, free));
    }

    /// <summary><c>a &amp; b</c>: the smaller set (b on a tie) iterated, its items in the other added to a new set.</summary>
    private static int[] Intersection(int[] a, int[] b)
    {
        var (iterated, other) = b.Length > a.Length ? (a, b) : (b, a);
        var members = other.ToHashSet();
        return Inserted(iterated.Where(members.Contains));
    }

    private static int[] Inserted(IEnumerable<int> order) => PythonIntSet.Of(order).Order();

    /// <summary>oslo.versionedobjects' <c>Set.coerce</c>: the items added to a new set, which is then copied.</summary>
    private static int[] Coerced(IEnumerable<int> order) => PythonIntSet.CopyOf(PythonIntSet.Of(order)).Order();
}
