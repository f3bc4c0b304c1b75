using System.Buffers;

namespace PciPassthrough.Core.Scheduling.Weighers;

/// <summary>
/// Combines weighers as Nova's scheduler does (05 NF-19): each weigher's raw weights are normalised to 0…1 over the
/// candidates ((w − min)/(max − min), all 0 when equal), multiplied, and summed. The pick is the highest total, the
/// earlier candidate on a tie.
/// </summary>
public static class HostWeighing
{
    /// <summary>Total weight per host, in the hosts' order. A single host is not weighed (total 0).</summary>
    public static double[] Weigh<THost>(ReadOnlySpan<THost> hosts, IReadOnlyList<IHostWeigher<THost>> weighers)
    {
        ArgumentNullException.ThrowIfNull(weighers);
        var totals = new double[hosts.Length];
        if (hosts.Length <= 1)
        {
            return totals;
        }

        var rented = ArrayPool<double>.Shared.Rent(hosts.Length);
        var raw = rented.AsSpan(0, hosts.Length);
        try
        {
            foreach (var weigher in weighers)
            {
                for (var i = 0; i < hosts.Length; i++)
                {
                    raw[i] = weigher.Weigh(hosts[i]);
                }

                var (min, max) = (raw[0], raw[0]);
                foreach (var weight in raw)
                {
                    (min, max) = (Math.Min(min, weight), Math.Max(max, weight));
                }

                for (var i = 0; i < hosts.Length; i++)
                {
                    var normalised = max == min ? 0 : (raw[i] - min) / (max - min);
                    totals[i] += weigher.Multiplier(hosts[i]) * normalised;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }

        return totals;
    }

    /// <summary>The index of the best host (highest total; the first of equals), or null for no host.</summary>
    public static int? Pick(ReadOnlySpan<double> totals)
    {
        int? best = null;
        for (var i = 0; i < totals.Length; i++)
        {
            if (best is not { } b || totals[i] > totals[b])
            {
                best = i;
            }
        }

        return best;
    }
}
