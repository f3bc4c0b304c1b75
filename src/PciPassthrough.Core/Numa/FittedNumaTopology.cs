namespace PciPassthrough.Core.Numa;

/// <summary>The result of a NUMA fit (05 NF-11): one fitted cell per guest cell, in guest order.</summary>
public sealed record FittedNumaTopology(IReadOnlyList<FittedNumaCell> Cells, EmulatorThreadsPolicy? EmulatorThreadsPolicy);
