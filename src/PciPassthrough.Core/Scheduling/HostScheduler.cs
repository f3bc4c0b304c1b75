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
    /// <summary>Capacity (Placement), <c>PciPassthroughFilter</c>, <c>NUMATopologyFilter</c>; <c>PCIWeigher</c>.</summary>
    public static HostScheduler Default { get; } =
        new([new CapacityFilter(), new PciPassthroughFilter(), new NumaTopologyFilter()], [new PciWeigher()]);

    public SchedulingDecision Schedule(IReadOnlyList<HostState> hosts, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(request);
        var rejections = new Rejection?[hosts.Count];
        var passed = new List<int>();
        for (var i = 0; i < hosts.Count; i++)
        {
            rejections[i] = FirstRejection(hosts[i], request);
            if (rejections[i] is null)
            {
                passed.Add(i);
            }
        }

        var candidates = passed.Select(i => WeighedHostInfo.Of(hosts[i])).ToList();
        var weights = HostWeighing.Weigh(candidates, weighers);
        int? chosen = HostWeighing.Pick(weights) is { } best ? passed[best] : null;
        return new SchedulingDecision(chosen, rejections, [.. passed.Select((host, k) => KeyValuePair.Create(host, weights[k]))]);
    }

    private Rejection? FirstRejection(HostState host, ServerRequest request)
    {
        foreach (var filter in filters)
        {
            if (filter.Check(host, request) is { } rejection)
            {
                return rejection;
            }
        }

        return null;
    }
}
