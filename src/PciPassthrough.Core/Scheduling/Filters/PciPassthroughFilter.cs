using PciPassthrough.Core.Pools;

namespace PciPassthrough.Core.Scheduling.Filters;

/// <summary>
/// Nova's <c>PciPassthroughFilter</c> (05 NF-14): a server without PCI requests passes everywhere; a host without a pool
/// summary fails. With allocation candidates (PCI in Placement) each candidate is kept iff the summary supports the
/// requests with that candidate's mapping, and the host passes iff one is left. Without candidates — always under Zed
/// (scenario-format §6) — the host passes when the summary supports the requests, without NUMA cells.
/// </summary>
public sealed class PciPassthroughFilter : IHostFilter
{
    public string Name => HostChecks.PciPassthroughFilter;

    public Rejection? Check(HostState host, ServerRequest request) => Evaluate(host, request).Rejection;

    /// <summary>The verdict and the candidates that passed (null when the host has none to reduce).</summary>
    public (Rejection? Rejection, IReadOnlyList<AllocationCandidate>? Kept) Evaluate(HostState host, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        if (request.PciRequests.Count == 0)
        {
            return (null, host.AllocationCandidates);
        }

        if (host.Pools is not { } pools)
        {
            return (new Rejection(Name, "the host publishes no PCI device pools"), host.AllocationCandidates is null ? null : []);
        }

        if (host.AllocationCandidates is not { } candidates)
        {
            return (pools.Supports(request.PciRequests) ? null : Explain(pools, request), null);
        }

        return Reduce(pools, candidates, request);
    }

    private (Rejection? Rejection, IReadOnlyList<AllocationCandidate>? Kept) Reduce(
        PoolSummary pools, IReadOnlyList<AllocationCandidate> candidates, ServerRequest request)
    {
        List<AllocationCandidate> kept = [.. candidates.Where(c => pools.Supports(request.PciRequests, mapping: c.Mappings))];
        if (kept.Count > 0)
        {
            return (null, kept);
        }

        var why = Explain(pools, request);
        return (why with { Reason = $"none of the host's {candidates.Count} allocation candidates can serve the requests: {why.Reason}" }, kept);
    }

    private Rejection Explain(PoolSummary pools, ServerRequest request) =>
        PciExplanation.Explain(Name, pools, request.PciRequests, hostCellIds: null);
}
