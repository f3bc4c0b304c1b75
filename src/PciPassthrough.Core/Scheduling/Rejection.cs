namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// Why a host cannot take a server: the check that said no and what was missing where, e.g. "needs 2 × type-VF
/// 8086:154c on NUMA node 1 (policy required); node 1 has 0 free of 64 (64 in use)". Beyond Nova, which only logs.
/// </summary>
/// <param name="Filter">The check: <c>placement</c>, <c>PciPassthroughFilter</c>, <c>NUMATopologyFilter</c>, <c>claim</c>.</param>
/// <param name="Reason">One sentence an operator can act on.</param>
public sealed record Rejection(string Filter, string Reason)
{
    /// <summary>The PCI request concerned (index into the server's requests), when one is to blame.</summary>
    public int? RequestIndex { get; init; }
}
