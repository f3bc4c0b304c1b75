namespace PciPassthrough.Core.Placement;

/// <summary>A child provider of the compute node as Placement holds it now.</summary>
public sealed record PlacementProviderState(string Name, string Uuid, IReadOnlySet<string> Traits);
