namespace PciPassthrough.Core.Simulation.Results;

/// <summary>One PCI resource provider (SIM-51): inventories, sorted traits, and how many devices each server holds.</summary>
public sealed record ProviderReport(
    string Name,
    string Parent,
    IReadOnlyList<ProviderInventoryReport> Inventories,
    IReadOnlyList<string> Traits,
    IReadOnlyList<KeyValuePair<string, int>> Consumers);
