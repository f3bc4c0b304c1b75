using System.Runtime.CompilerServices;

namespace PciPassthrough.Core.PlacementApi;

/// <summary>
/// <c>GET /allocation_candidates</c> without Placement's enumeration blow-up (08 §11, §15).
/// <para>Algorithm. Per root provider (a host), the request becomes a list of <em>slots</em>: one per class of the
/// unsuffixed group (PA-44: each class from one provider of the tree) and one per suffixed group (PA-43: one
/// provider for all its classes; a resourceless group, ≥ 1.36, is a slot with no amounts). Each slot's choices are
/// computed once per tree with every per-provider rule already applied (fit PA-42, traits, forbidden traits,
/// aggregates, in_tree), so an empty slot rejects the host at once. A depth-first walk then picks one choice per
/// slot and prunes a partial choice as soon as it breaks a rule that only combinations can break: <c>isolate</c>
/// (two suffixed groups on one provider), a <c>same_subtree</c> set once its last group is placed (one of its
/// providers must be an ancestor-or-self of all the others) and the merged amount per (provider, class)
/// exceeding capacity or max_unit (PA-46) and, below 1.29, a second provider of one tree (PA-47). At a leaf only the
/// unsuffixed group's required traits (a union over the providers it used) remain. Distinct leaves of one tree
/// are distinct (allocations + mappings).</para>
/// <para>Sharing providers (PA-45) of other trees join a tree's choices when they share an aggregate with one of
/// its providers; a suffixed group limited by <c>in_tree</c> takes only the providers of that tree, which for
/// another tree means its sharing providers ("DISK_GB from that shared storage"). A candidate made only of sharing
/// providers can come out of several trees; Placement returns it once, so those (and only those) are remembered
/// and deduplicated. Placement's quirks are kept: an unsuffixed group limited by <c>in_tree</c> takes no sharing
/// provider (so it anchors in that tree only); the unsuffixed group's <c>member_of</c> looks at the provider or
/// the anchor root, at a sharing provider of another tree only; a resourceless group ignores <c>in_tree</c> and matches nothing unless it names a required
/// trait or aggregate (a lone forbidden trait or aggregate selects no provider there).</para>
/// <para>Each host is a lazy sequence: nothing beyond what the caller consumes is built. Without <c>limit</c>
/// hosts are walked in order (the same set Placement returns, streamable in constant memory); with a limit hosts
/// are taken round-robin, one candidate each per turn, and generation stops at the limit (spread across hosts
/// instead of the first hosts only, 08 §15.2). With <see cref="CandidateQuery.Shuffle"/>
/// (<c>randomize_allocation_candidates</c>, PA-48) hosts and each slot's choices are visited in a random order:
/// the same set in a random order, and a limit takes a random spread of it without building the whole set (so not
/// Placement's uniform sample, which needs every candidate first).</para>
/// </summary>
public static class AllocationCandidateGenerator
{
    public static IEnumerable<AllocationCandidate> Generate(PlacementSnapshot snapshot, CandidateQuery query) =>
        Leaves(snapshot, query).Select(leaf => leaf.ToCandidate());

    /// <summary>The candidates of <see cref="Generate"/>, in the same order, as the walk reaches them: each leaf is
    /// valid only until the next one is asked for (a writer renders it without building the candidate).</summary>
    public static IEnumerable<CandidateLeaf> Leaves(PlacementSnapshot snapshot, CandidateQuery query)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        var roots = snapshot.Roots.ToArray();
        query.Shuffle?.Shuffle(roots);
        var sharedOnly = new HashSet<string>(StringComparer.Ordinal);
        var perHost = roots.Select(root => ForTree(snapshot, query, root, sharedOnly));
        return query.Limit is { } limit ? RoundRobin(perHost, limit) : InOrder(perHost);
    }

    /// <summary>PA-48 below 1.29: the providers of the <paramref name="roots"/> trees that some candidate of the
    /// unlimited answer uses (what Placement summarises once a limit has cut its candidates to those trees). Only
    /// the trees whose candidates can use such a provider are searched: the given ones, and those reaching a sharing
    /// provider that sits in one of them.</summary>
    public static HashSet<string> ProvidersUsedIn(PlacementSnapshot snapshot, CandidateQuery query, IReadOnlySet<string> roots)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(roots);
        var unlimited = query with { Limit = null, Shuffle = null };
        var sharedThere = snapshot.Sharing.Where(p => roots.Contains(p.RootUuid)).ToList();
        var sharedOnly = new HashSet<string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in snapshot.Roots.Where(r => roots.Contains(r.Uuid)
            || (sharedThere.Count > 0 && snapshot.Trees[r.Uuid].Any(p => sharedThere.Exists(s => s.Aggregates.Overlaps(p.Aggregates))))))
        {
            var walk = ForTree(snapshot, unlimited, root, sharedOnly);
            while (walk?.MoveNext() == true)
            {
                var leaf = walk.Leaf;
                for (var i = 0; i < leaf.Slots.Count; i++)
                {
                    if (leaf.Slots[i].Resources.Count > 0 && roots.Contains(leaf.Chosen(i).RootUuid))
                    {
                        used.Add(leaf.Chosen(i).Uuid);
                    }
                }
            }
        }

        return used;
    }

    private static IEnumerable<CandidateLeaf> InOrder(IEnumerable<TreeWalk?> hosts)
    {
        foreach (var walk in hosts)
        {
            while (walk?.MoveNext() == true)
            {
                yield return walk.Leaf;
            }
        }
    }

    private static IEnumerable<CandidateLeaf> RoundRobin(IEnumerable<TreeWalk?> hosts, int limit)
    {
        var active = hosts.OfType<TreeWalk>().ToList();
        var produced = 0;
        while (active.Count > 0)
        {
            for (var i = 0; i < active.Count && produced < limit;)
            {
                if (active[i].MoveNext())
                {
                    produced++;
                    yield return active[i].Leaf;
                    i++;
                }
                else
                {
                    active.RemoveAt(i);
                }
            }

            if (produced >= limit)
            {
                yield break;
            }
        }
    }

    /// <summary>The walk of one tree's candidates, or null when it has none.</summary>
    private static TreeWalk? ForTree(PlacementSnapshot snapshot, CandidateQuery query, ProviderState root,
        HashSet<string> sharedOnly)
    {
        if (!query.RootRequired.Matches(root.Traits))
        {
            return null;
        }

        var tree = snapshot.Trees[root.Uuid];
        var treeAggregates = tree.SelectMany(p => p.Aggregates).ToHashSet(StringComparer.Ordinal);
        var shared = snapshot.Sharing.Where(p => p.RootUuid != root.Uuid && p.Aggregates.Overlaps(treeAggregates)).ToList();
        var withShared = shared.Count == 0 ? tree : [.. tree, .. shared];
        var slots = new List<CandidateSlot>();
        foreach (var group in query.Groups)
        {
            if (group.IsUnsuffixed)
            {
                IReadOnlyList<ProviderState> pool = group.InTreeRoot is null ? withShared : group.InTreeRoot == root.Uuid ? tree : [];
                var eligible = pool.Where(p => !group.Required.HasForbidden(p.Traits)
                    && group.MemberOf.MatchesSelfOrRoot(p.Aggregates, root.Aggregates, p.RootUuid == root.Uuid)).ToList();
                slots.AddRange(group.Resources.Select(r => new CandidateSlot(group, new Dictionary<string, int> { [r.Key] = r.Value },
                    Ordered(query, eligible.Where(p => p.Fits(r.Key, r.Value))))));
            }
            else if (group.Resources.Count == 0)
            {
                var selective = group.Required.AnyOf.Count > 0 || group.MemberOf.AnyOf.Count > 0;
                slots.Add(new CandidateSlot(group, group.Resources, selective
                    ? Ordered(query, withShared.Where(p => group.Required.Matches(p.Traits) && group.MemberOf.Matches(p.Aggregates)))
                    : []));
            }
            else
            {
                var inTree = group.InTreeRoot is null ? withShared
                    : group.InTreeRoot == root.Uuid ? tree
                    : [.. shared.Where(p => p.RootUuid == group.InTreeRoot)];
                slots.Add(new CandidateSlot(group, group.Resources, Ordered(query, inTree.Where(p =>
                    group.Resources.All(r => p.Fits(r.Key, r.Value))
                    && group.Required.Matches(p.Traits) && group.MemberOf.Matches(p.Aggregates)))));
            }
        }

        return slots.Any(s => s.Choices.Count == 0) ? null : new TreeWalk(snapshot, query, root, slots, sharedOnly);
    }

    private static ProviderState[] Ordered(CandidateQuery query, IEnumerable<ProviderState> choices)
    {
        ProviderState[] ordered = [.. choices];
        query.Shuffle?.Shuffle(ordered);
        return ordered;
    }

    /// <summary>The depth-first walk of one tree, one leaf per <see cref="MoveNext"/>.</summary>
    private sealed class TreeWalk
    {
        private readonly PlacementSnapshot _snapshot;
        private readonly CandidateQuery _query;
        private readonly List<CandidateSlot> _slots;
        private readonly HashSet<string> _sharedOnly;
        private readonly ProviderState[] _chosen;
        private readonly int[] _next;
        private readonly List<int[]>[] _subtreeChecks;
        private readonly int[] _unsuffixed;
        private readonly bool _oneProviderPerTree;
        private readonly bool _mayBeSharedOnly;
        private int _depth;

        public TreeWalk(PlacementSnapshot snapshot, CandidateQuery query, ProviderState root, List<CandidateSlot> slots, HashSet<string> sharedOnly)
        {
            _snapshot = snapshot;
            _query = query;
            _slots = slots;
            _sharedOnly = sharedOnly;
            _chosen = new ProviderState[slots.Count];
            _next = new int[slots.Count];
            _subtreeChecks = SubtreeChecks(query, slots);
            _unsuffixed = [.. Enumerable.Range(0, slots.Count).Where(i => slots[i].Group.IsUnsuffixed)];
            _oneProviderPerTree = !query.NestedAware && snapshot.HasNested;
            // only a candidate made of sharing providers alone can come out of another tree too (see the class comment)
            _mayBeSharedOnly = slots.TrueForAll(s => s.Choices.Any(p => p.IsSharing && p.Aggregates.Count > 0));
            Leaf = new CandidateLeaf(root.Uuid, slots, _chosen, _next);
        }

        public CandidateLeaf Leaf { get; }

        /// <summary>Goes on to the next leaf; false when the tree has no more. Fully optimised from its first call:
        /// an unlimited answer runs it for millions of leaves, which tier-0 code would start.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool MoveNext()
        {
            var slots = _slots;
            var chosen = _chosen;
            var next = _next;
            var depth = _depth;
            while (depth >= 0)
            {
                if (depth == slots.Count)
                {
                    depth--;
                    if (MeetsUnsuffixedTraits(slots, chosen, _unsuffixed)
                        && (!_mayBeSharedOnly || !Array.TrueForAll(chosen, p => p.IsSharing && p.Aggregates.Count > 0)
                            || _sharedOnly.Add(Key(Leaf.ToCandidate()))))
                    {
                        _depth = depth;
                        return true;
                    }

                    continue;
                }

                var slot = slots[depth];
                var placed = false;
                while (next[depth] < slot.ChoiceCount && !placed)
                {
                    chosen[depth] = slot.ChoiceAt(next[depth]++);
                    placed = Allowed(_query, slots, chosen, depth)
                        && (!_oneProviderPerTree || AloneInItsTree(chosen, depth))
                        && InOneSubtree(_snapshot, _subtreeChecks[depth], chosen)
                        && FitsMerged(slots, chosen, depth);
                }

                if (placed)
                {
                    depth++;
                    if (depth < slots.Count)
                    {
                        next[depth] = 0;
                    }
                }
                else
                {
                    depth--;
                }
            }

            _depth = depth;
            return false;
        }
    }

    /// <summary>PA-46 isolate: suffixed groups never share a provider (the unsuffixed group may overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Allowed(CandidateQuery query, List<CandidateSlot> slots, ProviderState[] chosen, int depth)
    {
        var group = slots[depth].Group;
        if (!query.Isolate || group.IsUnsuffixed)
        {
            return true;
        }

        for (var i = 0; i < depth; i++)
        {
            if (ReferenceEquals(chosen[i], chosen[depth]) && !slots[i].Group.IsUnsuffixed && slots[i].Group != group)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>PA-46 <c>same_subtree</c>: per depth, the slot indices of each set whose last group sits there.</summary>
    private static List<int[]>[] SubtreeChecks(CandidateQuery query, List<CandidateSlot> slots)
    {
        var checks = new List<int[]>[slots.Count];
        for (var depth = 0; depth < slots.Count; depth++)
        {
            checks[depth] = [];
        }

        foreach (var set in query.SameSubtrees)
        {
            int[] members = [.. Enumerable.Range(0, slots.Count).Where(i => set.Contains(slots[i].Group.Suffix))];
            if (members.Length > 1)
            {
                checks[members[^1]].Add(members);
            }
        }

        return checks;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool InOneSubtree(PlacementSnapshot snapshot, List<int[]> checks, ProviderState[] chosen)
    {
        foreach (var members in checks)
        {
            if (!InOneSubtree(snapshot, members.Select(i => chosen[i])))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>PA-46 <c>same_subtree</c>: one of the providers is an ancestor-or-self of all of them.</summary>
    private static bool InOneSubtree(PlacementSnapshot snapshot, IEnumerable<ProviderState> providers)
    {
        var distinct = providers.DistinctBy(p => p.Uuid).ToList();
        return distinct.Any(top => distinct.All(p => IsAncestorOrSelf(snapshot, top.Uuid, p)));
    }

    private static bool IsAncestorOrSelf(PlacementSnapshot snapshot, string ancestor, ProviderState provider)
    {
        for (var current = provider; current.Uuid != ancestor; current = snapshot.Providers[current.ParentUuid])
        {
            if (current.ParentUuid is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>PA-46: the slot's amounts plus what the shallower slots already placed on the same provider still
    /// fit capacity and max_unit. A provider's first slot needs no check (its choices already fit alone), so the
    /// common walk never sums anything.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool FitsMerged(List<CandidateSlot> slots, ProviderState[] chosen, int depth)
    {
        var provider = chosen[depth];
        var shared = false;
        for (var i = 0; i < depth && !shared; i++)
        {
            shared = ReferenceEquals(chosen[i], provider);
        }

        if (!shared)
        {
            return true;
        }

        foreach (var (resourceClass, amount) in slots[depth].Amounts)
        {
            long merged = amount;
            for (var i = 0; i < depth; i++)
            {
                if (ReferenceEquals(chosen[i], provider))
                {
                    merged += slots[i].Amounts.GetValueOrDefault(resourceClass);
                }
            }

            if (!provider.Inventories[resourceClass].FitsMerged(merged))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>PA-44 traits over the unsuffixed group's providers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool MeetsUnsuffixedTraits(List<CandidateSlot> slots, ProviderState[] chosen, int[] unsuffixed)
    {
        if (unsuffixed.Length > 0 && slots[unsuffixed[0]].Group.Required is { AnyOf.Count: > 0 } required)
        {
            var traits = unsuffixed.SelectMany(i => chosen[i].Traits).ToHashSet(StringComparer.Ordinal);
            return required.MeetsRequired(traits);
        }

        return true;
    }

    /// <summary>PA-47 below 1.29 (with nested providers): a candidate uses one provider per tree, so the walk drops a
    /// choice that is a second provider of a tree already used instead of enumerating the combinations it spoils.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AloneInItsTree(ProviderState[] chosen, int depth)
    {
        for (var i = 0; i < depth; i++)
        {
            if (!ReferenceEquals(chosen[i], chosen[depth]) && chosen[i].RootUuid == chosen[depth].RootUuid)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Allocations and mappings as one ordered string: equal for equal candidates of different trees.</summary>
    private static string Key(AllocationCandidate candidate) => string.Join(";",
        candidate.Allocations.SelectMany(a => a.Value.Select(r => $"{a.Key}/{r.Key}={r.Value}"))
            .Concat(candidate.Mappings.Select(m => $"{m.Key}:{string.Join(",", m.Value.Order(StringComparer.Ordinal))}"))
            .Order(StringComparer.Ordinal));
}
