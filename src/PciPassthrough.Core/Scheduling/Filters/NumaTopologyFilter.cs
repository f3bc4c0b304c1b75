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

        var fit = NumaFitter.Fit(topology, guest, FitOptions(host, request, host.Pools));
        return fit is null ? (NumaExplanation.Explain(Name, topology, guest, request), null) : (null, fit);
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
