namespace PciPassthrough.Core.Simulation.Results;

/// <summary>The physnets (sorted) and tunnelling of a boot's ports (SIM-31 stage <c>ports</c>).</summary>
public sealed record NetworkMetadataReport(IReadOnlyList<string> Physnets, bool Tunneled);
