namespace PciPassthrough.Core.PlacementApi;

/// <summary>A <c>member_of</c> query (PA-31): the provider is in one aggregate of every set of
/// <see cref="AnyOf"/> and in none of <see cref="Forbidden"/>.</summary>
public sealed record AggregateFilter(IReadOnlyList<IReadOnlySet<string>> AnyOf, IReadOnlySet<string> Forbidden)
{
    public static readonly AggregateFilter None = new([], new HashSet<string>());

    public bool IsEmpty => AnyOf.Count == 0 && Forbidden.Count == 0;

    public bool Matches(IReadOnlySet<string> aggregates) =>
        AnyOf.All(set => set.Overlaps(aggregates)) && !(Forbidden.Count > 0 && Forbidden.Overlaps(aggregates));

    /// <summary>PA-44: a provider of the unsuffixed group passes when it or its tree's root is in each wanted
    /// aggregate set, and neither is in a forbidden one.</summary>
    public bool MatchesSelfOrRoot(IReadOnlySet<string> aggregates, IReadOnlySet<string> rootAggregates) =>
        AnyOf.All(set => set.Overlaps(aggregates) || set.Overlaps(rootAggregates))
        && !(Forbidden.Count > 0 && (Forbidden.Overlaps(aggregates) || Forbidden.Overlaps(rootAggregates)));
}
