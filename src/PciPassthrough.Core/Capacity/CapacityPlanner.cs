using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Capacity;

/// <summary>
/// "How many more of this flavor fit, where, and what stops the rest?": boots the same request again and again on a
/// copy of the fleet, with the scheduler's own rules, until it no longer fits or the count is reached. Nothing is
/// booted; the fleet is unchanged.
/// </summary>
public static class CapacityPlanner
{
    /// <summary>How many boots are tried at most when no count is asked for.</summary>
    public const int DefaultLimit = 1000;

    /// <param name="fleet">The current state.</param>
    /// <param name="boot">One server of the flavor (its name is replaced by a numbered one per try).</param>
    /// <param name="count">How many are wanted; null = as many as fit, up to <see cref="DefaultLimit"/>.</param>
    /// <param name="excludedHosts">Hosts that take nothing (e.g. their agent is down).</param>
    public static CapacityReport Plan(Fleet fleet, ScenarioBoot boot, int? count = null, IReadOnlyCollection<string>? excludedHosts = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(boot);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count ?? 1, nameof(count));
        var limit = count ?? DefaultLimit;
        var trial = fleet.CopyForBoots();
        var perHost = fleet.HostNames.ToDictionary(h => h, _ => 0, StringComparer.Ordinal);
        BootResult? refused = null;
        for (var i = 0; i < limit && refused is null; i++)
        {
            var result = trial.Boot(boot with { Name = $"capacity-{i}" }, excludedHosts);
            if (result.ChosenHost is { } host)
            {
                perHost[host]++;
            }
            else
            {
                refused = result;
            }
        }

        var fits = perHost.Values.Sum();
        return new CapacityReport(
            fits,
            count,
            perHost,
            refused?.Result == BootResult.ApiError ? refused.Api.Error?.Message : null,
            refused is null ? [] : [.. refused.Hosts.Select(Blocker)]);
    }

    private static HostBlocker Blocker(HostEvaluation host) => new(
        host.Host,
        host.RejectedBy switch
        {
            HostChecks.Placement => BlockerKind.Resources,
            HostChecks.PciPassthroughFilter or HostChecks.Claim => BlockerKind.Devices,
            HostChecks.NumaTopologyFilter => BlockerKind.Numa,
            _ => BlockerKind.HostUnavailable,
        },
        [.. host.Rejections.Select(r => r.Reason)]);
}
