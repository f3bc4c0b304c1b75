namespace PciPassthrough.Core.PlacementApi;

/// <summary>A <c>member_of</c> query (PA-31): the provider is in one aggregate of every set of
/// <see cref="AnyOf"/> and in none of <see cref="Forbidden"/>.</summary>
public sealed record AggregateFilter(IReadOnlyList<IReadOnlySet<string>> AnyOf, IReadOnlySet<string> Forbidden)
{
    public static readonly AggregateFilter None = new([], new HashSet<string>());

    public bool IsEmpty => AnyOf.Count == 0 && Forbidden.Count == 0;

    public bool Matches(IReadOnlySet<string> aggregates) =>
        AnyOf.All(set => set.Overlaps(aggregates)) && !(Forbidden.Count > 0 && Forbidden.Overlaps(aggregates));

    /// <summary>PA-44, as Placement checks the unsuffixed group: a provider of the anchor tree passes when it or the
    /// anchor root meets every wanted aggregate set (one of the two meets them all); a sharing provider of another
    /// tree must meet them itself. Neither the provider nor the anchor root may be in a forbidden aggregate.</summary>
    public bool MatchesSelfOrRoot(IReadOnlySet<string> aggregates, IReadOnlySet<string> rootAggregates, bool inAnchorTree) =>
        (AnyOf.All(set => set.Overlaps(aggregates)) || (inAnchorTree && AnyOf.All(set => set.Overlaps(rootAggregates))))
        && !(Forbidden.Count > 0 && (Forbidden.Overlaps(aggregates) || Forbidden.Overlaps(rootAggregates)));
}
