using System.Runtime.CompilerServices;

namespace PciPassthrough.Core.PlacementApi;

/// <summary>One request group's part of a tree's candidates: its amounts (one class of the unsuffixed group, or all
/// of a suffixed group's) and the providers that may serve them, every per-provider rule already applied.</summary>
public sealed class CandidateSlot
{
    private readonly ProviderState[] _choices;

    internal CandidateSlot(RequestGroup group, IReadOnlyDictionary<string, int> amounts, ProviderState[] choices)
    {
        Group = group;
        Amounts = amounts;
        _choices = choices;
        Resources = amounts.ToDictionary(a => a.Key, a => (long)a.Value, StringComparer.Ordinal);
        Mapped = [.. choices.Select(c => (IReadOnlyList<string>)[c.Uuid])];
    }

    public RequestGroup Group { get; }

    public IReadOnlyDictionary<string, int> Amounts { get; }

    public IReadOnlyList<ProviderState> Choices => _choices;

    /// <summary>The allocation of a provider only this slot uses, shared by every candidate that has it.</summary>
    public IReadOnlyDictionary<string, long> Resources { get; }

    /// <summary>Per choice, the group's mapping when it is the group's only provider (shared likewise).</summary>
    public IReadOnlyList<string>[] Mapped { get; }

    /// <summary>What the walk reads at each step, without an interface call.</summary>
    internal int ChoiceCount => _choices.Length;

    internal ProviderState ChoiceAt(int index) => _choices[index];
}

/// <summary>A candidate as the walk reaches it, before it is built: the tree's slots and the choice each one took.
/// One object per tree, updated in place at each leaf, so it describes the current leaf only until the walk goes on
/// (what a writer needs to render candidates without building them).</summary>
public sealed class CandidateLeaf
{
    private readonly ProviderState[] _chosen;
    private readonly int[] _next;

    internal CandidateLeaf(string rootUuid, IReadOnlyList<CandidateSlot> slots, ProviderState[] chosen, int[] next)
    {
        RootUuid = rootUuid;
        Slots = slots;
        _chosen = chosen;
        _next = next;
        GroupsInOneSlot = EachGroupOnce(slots);
    }

    public string RootUuid { get; }

    /// <summary>The tree's slots, the same list at every leaf of the tree.</summary>
    public IReadOnlyList<CandidateSlot> Slots { get; }

    /// <summary>True when each group has one slot (the unsuffixed group asks for one class at most).</summary>
    public bool GroupsInOneSlot { get; }

    /// <summary>The index in <see cref="CandidateSlot.Choices"/> of the provider the slot chose.</summary>
    public int Pick(int slot) => _next[slot] - 1;

    public ProviderState Chosen(int slot) => _chosen[slot];

    /// <summary>True when the candidate's allocations and mappings are its slots' own, in slot order: each group has
    /// one slot and no provider serves the amounts of two slots (nothing to merge).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsSlotBySlot()
    {
        if (!GroupsInOneSlot)
        {
            return false;
        }

        for (var i = 1; i < _chosen.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (ReferenceEquals(_chosen[i], _chosen[j]) && Slots[i].Resources.Count > 0 && Slots[j].Resources.Count > 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool EachGroupOnce(IReadOnlyList<CandidateSlot> slots)
    {
        for (var i = 1; i < slots.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (slots[i].Group.Suffix == slots[j].Group.Suffix)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The candidate's allocations (amounts merged per provider and class) and mappings. A provider or
    /// group served by one slot gets that slot's shared dictionary or list, so a candidate usually costs three
    /// objects; only merges build new ones.</summary>
    public AllocationCandidate ToCandidate()
    {
        var allocations = new Dictionary<string, IReadOnlyDictionary<string, long>>(Slots.Count, StringComparer.Ordinal);
        var mappings = new Dictionary<string, IReadOnlyList<string>>(Slots.Count, StringComparer.Ordinal);
        for (var i = 0; i < Slots.Count; i++)
        {
            var slot = Slots[i];
            var provider = _chosen[i].Uuid;
            if (slot.Resources.Count > 0)
            {
                allocations[provider] = allocations.TryGetValue(provider, out var existing)
                    ? Merge(existing, slot.Resources)
                    : slot.Resources;
            }

            var suffix = slot.Group.Suffix;
            if (!mappings.TryGetValue(suffix, out var mapped))
            {
                mappings[suffix] = slot.Mapped[Pick(i)];
            }
            else if (!mapped.Contains(provider))
            {
                mappings[suffix] = [.. mapped, provider];
            }
        }

        return new AllocationCandidate(RootUuid, allocations, mappings);
    }

    private static Dictionary<string, long> Merge(IReadOnlyDictionary<string, long> existing, IReadOnlyDictionary<string, long> added)
    {
        var merged = new Dictionary<string, long>(existing, StringComparer.Ordinal);
        foreach (var (resourceClass, amount) in added)
        {
            merged[resourceClass] = merged.GetValueOrDefault(resourceClass) + amount;
        }

        return merged;
    }
}
