namespace PciPassthrough.Core.Pools;

/// <summary>A host NUMA cell and its socket (null when the platform does not say), for the <c>socket</c> policy (04 PL-13).</summary>
public readonly record struct NumaCellSocket(int CellId, int? Socket);
