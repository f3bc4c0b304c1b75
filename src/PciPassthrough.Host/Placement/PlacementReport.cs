using PciPassthrough.Core.Placement;

namespace PciPassthrough.Host.Placement;

/// <summary>The outcome of one PCI report: the compute node provider, how many rounds the generation conflicts took,
/// and the plan that was written (providers, healed allocations, warnings).</summary>
public sealed record PlacementReport(string ComputeNodeUuid, int Rounds, PciPlacementPlan Plan);
