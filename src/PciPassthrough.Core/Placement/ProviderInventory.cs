namespace PciPassthrough.Core.Placement;

/// <summary>One inventory record of a provider as Placement holds it.</summary>
public sealed record ProviderInventory(int Total, int MaxUnit, int Reserved = 0);
