namespace PciPassthrough.Core.PlacementApi;

/// <summary>One allocation request: amounts per provider and class, and which providers served each group.</summary>
public sealed record AllocationCandidate(
    string RootUuid,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Allocations,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Mappings);
