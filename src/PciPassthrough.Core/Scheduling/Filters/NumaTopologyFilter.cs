using PciPassthrough.Core.Numa;

namespace PciPassthrough.Core.Scheduling.Filters;

/// <summary>
/// Nova's <c>NUMATopologyFilter</c> (05 NF-15, scenario-format SIM-34): a <c>dedicated</c> guest that
/// <c>require</c>s thread siblings needs a host with SMT; a guest with a NUMA topology must fit the host's cells
/// (05 NF-8…NF-13) with the host's allocation ratios, the server's networks, its PCI requests and the pool summary.
/// </summary>
public sealed class NumaTopologyFilter : IHostFilter
{
    public string Name => HostChecks.NumaTopologyFilter;

    public Rejection? Check(HostState host, ServerRequest request) => Evaluate(host, request).Rejection;

    /// <summary>The verdict and, for a guest with a topology that fits, the cells the scheduler found (SIM-36).</summary>
    public (Rejection? Rejection, FittedNumaTopology? Fit) Evaluate(HostState host, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        if (host.Numa is { } cells && request.CpuPolicies.RequiresSiblings && !cells.HasThreads)
        {
            return (new Rejection(Name,
                "the guest asks for dedicated CPUs with thread policy 'require', but no host CPU has an SMT sibling"), null);
        }

        if (request.NumaTopology is not { } guest)
        {
            return (null, null);
        }

        if (host.Numa is not { } topology)
        {
            return (new Rejection(Name, "the guest has a NUMA topology but the host reports none"), null);
        }

        var fit = host.AllocationCandidates is { } candidates
            ? Fits(host, request, candidates).Select(kept => kept.Fit).FirstOrDefault()
            : NumaFitter.Fit(topology, guest, FitOptions(host, request, host.Pools));
        return fit is null ? (NumaExplanation.Explain(Name, topology, guest, request), null) : (null, fit);
    }

    /// <summary>
    /// NF-15: the host's allocation candidates whose providers fit the guest's cells (the fit runs with each candidate's
    /// mapping), in order; null when there are none to reduce or the guest has no NUMA topology to fit.
    /// </summary>
    public IReadOnlyList<AllocationCandidate>? Reduce(HostState host, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        return host.AllocationCandidates is { } candidates && request.NumaTopology is not null && host.Numa is not null
            ? [.. Fits(host, request, candidates).Select(kept => kept.Candidate)]
            : null;
    }

    private static IEnumerable<(AllocationCandidate Candidate, FittedNumaTopology Fit)> Fits(
        HostState host, ServerRequest request, IReadOnlyList<AllocationCandidate> candidates)
    {
        foreach (var candidate in candidates)
        {
            var pools = host.Pools is { } summary ? new CandidatePoolView(summary, candidate) : null;
            if (NumaFitter.Fit(host.Numa!, request.NumaTopology!, FitOptions(host, request, pools)) is { } fit)
            {
                yield return (candidate, fit);
            }
        }
    }

    /// <summary>
    /// The inputs of a fit with the host's limits (SIM-34 step 3). The compute claim fits again with the same limits
    /// but its own pools (SIM-36).
    /// </summary>
    public static NumaFitOptions FitOptions(HostState host, ServerRequest request, IPciNumaView? pools)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        return new NumaFitOptions
        {
            Limits = new NumaLimits(host.CpuAllocationRatio, host.RamAllocationRatio, request.Network),
            PciRequests = request.PciRequests,
            Pci = pools,
            PackCells = host.PackNumaCells,
        };
    }
}
