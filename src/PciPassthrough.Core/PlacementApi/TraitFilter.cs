namespace PciPassthrough.Core.PlacementApi;

/// <summary>A <c>required</c> query: every set in <see cref="AnyOf"/> needs one of its traits (a plain trait is a
/// one-element set), and none of <see cref="Forbidden"/> may be present.</summary>
public sealed record TraitFilter(IReadOnlyList<IReadOnlySet<string>> AnyOf, IReadOnlySet<string> Forbidden)
{
    public static readonly TraitFilter None = new([], new HashSet<string>());

    public bool IsEmpty => AnyOf.Count == 0 && Forbidden.Count == 0;

    /// <summary>True when <paramref name="traits"/> meets every any-of set and holds no forbidden trait.</summary>
    public bool Matches(IReadOnlySet<string> traits) => MeetsRequired(traits) && !HasForbidden(traits);

    public bool MeetsRequired(IReadOnlySet<string> traits) => AnyOf.All(set => set.Overlaps(traits));

    public bool HasForbidden(IReadOnlySet<string> traits) => Forbidden.Count > 0 && Forbidden.Overlaps(traits);

    public IEnumerable<string> Names => AnyOf.SelectMany(set => set).Concat(Forbidden);
}
