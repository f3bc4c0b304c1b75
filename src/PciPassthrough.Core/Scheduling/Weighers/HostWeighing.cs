namespace PciPassthrough.Core.Scheduling.Weighers;

/// <summary>
/// Combines weighers as Nova's scheduler does (05 NF-19): each weigher's raw weights are normalised to 0…1 over the
/// candidates ((w − min)/(max − min), all 0 when equal), multiplied, and summed. The pick is the highest total, the
/// earlier candidate on a tie.
/// </summary>
public static class HostWeighing
{
    /// <summary>Total weight per host, in the hosts' order. A single host is not weighed (total 0).</summary>
    public static IReadOnlyList<double> Weigh<THost>(IReadOnlyList<THost> hosts, IReadOnlyList<IHostWeigher<THost>> weighers)
    {
        var totals = new double[hosts.Count];
        if (hosts.Count <= 1)
        {
            return totals;
        }

        foreach (var weigher in weighers)
        {
            var raw = hosts.Select(weigher.Weigh).ToArray();
            var (min, max) = (raw.Min(), raw.Max());
            for (var i = 0; i < hosts.Count; i++)
            {
                var normalised = max == min ? 0 : (raw[i] - min) / (max - min);
                totals[i] += weigher.Multiplier(hosts[i]) * normalised;
            }
        }

        return totals;
    }

    /// <summary>The index of the best host (highest total; the first of equals), or null for no host.</summary>
    public static int? Pick(IReadOnlyList<double> totals)
    {
        int? best = null;
        for (var i = 0; i < totals.Count; i++)
        {
            if (best is not { } b || totals[i] > totals[b])
            {
                best = i;
            }
        }

        return best;
    }
}
