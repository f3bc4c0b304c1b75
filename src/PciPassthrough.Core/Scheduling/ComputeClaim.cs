using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Pools;
using PciPassthrough.Core.Scheduling.Filters;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// The compute-side claim (05 NF-21, scenario-format SIM-36): fit the guest again on the compute's own state, test the
/// PCI requests, then consume and claim the devices. Works on the tracker it is given: claim on a scratch copy when a
/// failure must leave the host untouched.
/// </summary>
public static class ComputeClaim
{
    public const string ComputeResourcesUnavailable = "ComputeResourcesUnavailable";

    /// <summary>What a successful claim took: the fitted guest cells (null without a guest topology) and the devices.</summary>
    public sealed record Result(FittedNumaTopology? Numa, IReadOnlyList<PciPick> Picks);

    /// <summary>
    /// NF-21 (a) fit the guest with the compute's pools — only when it has PCI requests, otherwise with none, which skips
    /// the PCI cell ordering and support test (SIM-36); (b) <c>support</c> without cells; (c) either failure →
    /// <c>ComputeResourcesUnavailable</c> with both reasons; (d) consume with the fitted cells, then claim and allocate.
    /// </summary>
    /// <param name="host">The scheduler's view of the host: NUMA cells, ratios and cell strategy (for the limits).</param>
    /// <param name="tracker">The compute's devices; changed only when the claim succeeds.</param>
    /// <param name="request">The server.</param>
    /// <exception cref="PciException"><c>ComputeResourcesUnavailable</c>, or <c>PciDeviceRequestFailed</c> from consume.</exception>
    public static Result Claim(HostState host, PciDeviceTracker tracker, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(request);
        var pools = tracker.Pools;
        var requests = request.PciRequests;
        var reasons = new List<string>();
        FittedNumaTopology? fit = null;
        if (request.NumaTopology is { } guest)
        {
            fit = host.Numa is { } cells
                ? NumaFitter.Fit(cells, guest, NumaTopologyFilter.FitOptions(host, request, requests.Count > 0 ? pools : null))
                : null;
            if (fit is null)
            {
                reasons.Add(requests.Count > 0
                    ? "Requested instance NUMA topology together with requested PCI devices cannot fit the given host NUMA topology"
                    : "Requested instance NUMA topology cannot fit the given host NUMA topology");
            }
        }

        if (requests.Count > 0 && !pools.Supports(requests))
        {
            reasons.Add("Claim pci failed");
        }

        if (reasons.Count > 0)
        {
            throw new PciException(ComputeResourcesUnavailable, string.Join("; ", reasons));
        }

        var picks = tracker.ClaimForInstance(request.Name, requests, fit?.Cells.Select(c => c.HostCellId).ToList());
        tracker.AllocateForInstance(request.Name);
        return new Result(fit, picks);
    }
}
