namespace PciPassthrough.Core.Scheduling.Filters;

/// <summary>
/// Nova's <c>PciPassthroughFilter</c> (05 NF-14 as Zed runs it, scenario-format §6): a host passes when its pool
/// summary supports the server's PCI requests in order, without NUMA cells. A server without PCI requests passes
/// everywhere; a host without a summary fails.
/// </summary>
public sealed class PciPassthroughFilter : IHostFilter
{
    public string Name => HostChecks.PciPassthroughFilter;

    public Rejection? Check(HostState host, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        if (request.PciRequests.Count == 0)
        {
            return null;
        }

        if (host.Pools is not { } pools)
        {
            return new Rejection(Name, "the host publishes no PCI device pools");
        }

        return pools.Supports(request.PciRequests) ? null : PciExplanation.Explain(Name, pools, request.PciRequests, hostCellIds: null);
    }
}
