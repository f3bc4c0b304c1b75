namespace PciPassthrough.Core.PlacementApi;

/// <summary>One request group of <c>GET /allocation_candidates</c>: <see cref="Suffix"/> "" is the unsuffixed
/// group (its classes may come from different providers of one tree, PA-44); a suffixed group needs ONE provider
/// for all its classes (PA-43), and from 1.36 it may have no resources at all (a provider that only has to pass
/// its trait, aggregate and tree filters). <see cref="InTreeRoot"/> limits the group to one tree.</summary>
public sealed record RequestGroup(
    string Suffix, IReadOnlyDictionary<string, int> Resources, TraitFilter Required, AggregateFilter MemberOf, string? InTreeRoot)
{
    public bool IsUnsuffixed => Suffix.Length == 0;
}
