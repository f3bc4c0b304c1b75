namespace PciPassthrough.Core.Numa;

/// <summary>
/// The networks a boot's ports attach to, for NUMA affinity (SIM-37): their physical networks and whether any
/// is tunnelled (vxlan, gre, geneve).
/// </summary>
public sealed record NetworkMetadata(IReadOnlySet<string> Physnets, bool Tunneled);
