namespace PciPassthrough.Core.PlacementApi;

/// <summary>A parsed <c>GET /allocation_candidates</c>. <see cref="NestedAware"/> is microversion ≥ 1.29 (PA-47).</summary>
public sealed record CandidateQuery(IReadOnlyList<RequestGroup> Groups, bool Isolate, int? Limit, bool NestedAware);
