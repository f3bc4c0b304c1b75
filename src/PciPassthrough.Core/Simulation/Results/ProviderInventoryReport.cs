namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A provider's inventory of one resource class: <c>total</c> = <c>max_unit</c> = device count (SIM-51).</summary>
public sealed record ProviderInventoryReport(string ResourceClass, int Total, int MaxUnit, int Used);
