namespace PciPassthrough.Core.Simulation;

/// <summary>Huge pages of one size in a host cell.</summary>
public sealed record ScenarioHugePages(long SizeKb, long Total, long Used = 0, long Reserved = 0);
