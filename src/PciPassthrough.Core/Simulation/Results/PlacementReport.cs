using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>The PCI part of a host's Placement provider tree (§5, SIM-51), providers sorted by name.</summary>
public sealed record PlacementReport(string Root, IReadOnlyList<ProviderReport> Providers, PciError? Error);
