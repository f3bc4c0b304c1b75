using System.Buffers;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Scheduling.Filters;
using PciPassthrough.Core.Scheduling.Weighers;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// The scheduler's decision for one server over a fleet (05 §3–5, newest rules): every host runs the filters in order
/// until one says no, and that rejection is kept — the reason for every host that was not chosen. The hosts that pass
/// are weighed (05 NF-18…NF-20) and the highest total wins, the first of equals. Filters only read the host state, so a
/// decision never copies it; <c>simulate</c> makes its own choice (SIM-40) and does not use this class.
/// </summary>
public sealed class HostScheduler(IReadOnlyList<IHostFilter> filters, IReadOnlyList<IHostWeigher<WeighedHostInfo>> weighers)
{
    // an array: walking it per host allocates no enumerator
    private readonly IHostFilter[] _filters = [.. filters];

    /// <summary>Capacity (Placement), <c>PciPassthroughFilter</c>, <c>NUMATopologyFilter</c>; <c>PCIWeigher</c>.</summary>
    public static HostScheduler Default { get; } =
        new([new CapacityFilter(), new PciPassthroughFilter(), new NumaTopologyFilter()], [new PciWeigher()]);

    public SchedulingDecision Schedule(IReadOnlyList<HostState> hosts, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(request);
        var rejections = new Rejection?[hosts.Count];
        var passed = new List<int>(hosts.Count);
        for (var i = 0; i < hosts.Count; i++)
        {
            rejections[i] = FirstRejection(hosts[i], request);
            if (rejections[i] is null)
            {
                passed.Add(i);
            }
        }

        var candidates = ArrayPool<WeighedHostInfo>.Shared.Rent(passed.Count);
        try
        {
            for (var k = 0; k < passed.Count; k++)
            {
                candidates[k] = WeighedHostInfo.Of(hosts[passed[k]]);
            }

            var totals = HostWeighing.Weigh(candidates.AsSpan(0, passed.Count), weighers);
            int? chosen = HostWeighing.Pick(totals) is { } best ? passed[best] : null;
            return new SchedulingDecision(chosen, rejections, new PassedHostWeights(passed, totals));
        }
        finally
        {
            ArrayPool<WeighedHostInfo>.Shared.Return(candidates, clearArray: true);
        }
    }

    /// <summary>
    /// Places <paramref name="count"/> identical servers one after another (Nova's multi-create): after
    /// each choice the chosen host's state takes the server (05 NF-16), so later servers see what earlier ones took.
    /// </summary>
    /// <returns>One decision per server, until the first that finds no host.</returns>
    public IReadOnlyList<SchedulingDecision> ScheduleMany(IReadOnlyList<HostState> hosts, ServerRequest request, int count)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var states = hosts.ToArray();
        var decisions = new List<SchedulingDecision>(count);
        while (decisions.Count < count)
        {
            var decision = Schedule(states, request);
            decisions.Add(decision);
            if (decision.Chosen is not { } chosen)
            {
                break;
            }

            states[chosen] = Consume(states[chosen], request);
        }

        return decisions;
    }

    /// <summary>
    /// 05 NF-16: the scheduler's view of a host once <paramref name="request"/> is placed on it: the guest fitted again
    /// and its cells' usage recorded, the PCI requests applied to the pool summary on those cells, the resources used.
    /// The given state is not changed. When the cells' usage cannot be recorded (<c>CPUPinningInvalid</c>, see
    /// <see cref="NumaUsage.Add"/>) Nova's scheduler ignores the failure and leaves it to the compute's claim: only the
    /// resources are used then.
    /// </summary>
    /// <exception cref="Errors.PciException"><c>PciDeviceRequestFailed</c> when the host cannot take the requests.</exception>
    public static HostState Consume(HostState host, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        var capacity = host.Capacity.Clone();
        capacity.Add(request.Resources);
        var numa = host.Numa;
        IReadOnlyList<int>? cells = null;
        if (numa is not null && request.NumaTopology is { } guest &&
            NumaFitter.Fit(numa, guest, NumaTopologyFilter.FitOptions(host, request, host.Pools)) is { } fit)
        {
            try
            {
                numa = NumaUsage.Add(numa, fit);
            }
            catch (Errors.PciException e) when (e.Error.Kind == NumaUsage.CpuPinningInvalid)
            {
                return host with { Capacity = capacity };
            }

            cells = [.. fit.Cells.Select(cell => cell.HostCellId)];
        }

        return host with
        {
            Capacity = capacity,
            Numa = numa,
            Pools = request.PciRequests.Count > 0 ? host.Pools?.Apply(request.PciRequests, cells) : host.Pools,
        };
    }

    private Rejection? FirstRejection(HostState host, ServerRequest request)
    {
        foreach (var filter in _filters)
        {
            if (filter.Check(host, request) is { } rejection)
            {
                return rejection;
            }
        }

        return null;
    }
}
