namespace PciPassthrough.Core.PlacementApi;

/// <summary>A parsed <c>GET /allocation_candidates</c>. <see cref="NestedAware"/> is microversion ≥ 1.29 (PA-47);
/// <see cref="RootRequired"/> is what the anchor root itself must (not) carry (PA-46, ≥ 1.35); each set of
/// <see cref="SameSubtrees"/> names suffixed groups whose providers must sit under one of them (PA-46, ≥ 1.36).</summary>
public sealed record CandidateQuery(IReadOnlyList<RequestGroup> Groups, bool Isolate, int? Limit, bool NestedAware)
{
    public TraitFilter RootRequired { get; init; } = TraitFilter.None;

    public IReadOnlyList<IReadOnlySet<string>> SameSubtrees { get; init; } = [];

    /// <summary>When set (<c>randomize_allocation_candidates</c>, PA-48), hosts and choices are visited in a
    /// random order drawn from it.</summary>
    public Random? Shuffle { get; init; }
}
