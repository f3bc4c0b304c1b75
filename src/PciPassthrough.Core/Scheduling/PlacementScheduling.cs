using PciPassthrough.Core.PlacementApi;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling.Filters;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// Scheduling with <c>pci_in_placement</c> (06 §7): Placement's allocation candidates decide which hosts the filters see
/// at all, and for each host which providers every PCI group may use (PM-27, 04 PL-16). A host Placement returned no
/// candidate for is rejected by <c>placement</c>, as Nova never hands it to the filters. Once a host is chosen, its
/// first candidate that the PCI filter kept names the providers each alias request consumes from (PM-27).
/// </summary>
public static class PlacementScheduling
{
    /// <summary>The decision over <paramref name="hosts"/> and the server's PCI requests with their chosen providers.</summary>
    /// <param name="scheduler">The filters and weighers.</param>
    /// <param name="hosts">The fleet, each host named as its compute node provider's key in <paramref name="computeNodes"/>.</param>
    /// <param name="computeNodes">Host name → the uuid of its compute node (root) provider.</param>
    /// <param name="snapshot">What Placement holds.</param>
    /// <param name="placement">The server's request groups (<see cref="PlacementRequest.Build"/>).</param>
    /// <param name="request">The server; its PCI requests carry the ids the groups are named after.</param>
    /// <param name="limit"><c>[scheduler] max_placement_results</c>; null for no limit.</param>
    public static PlacementSchedulingResult Schedule(
        HostScheduler scheduler, IReadOnlyList<HostState> hosts, IReadOnlyDictionary<string, string> computeNodes,
        PlacementSnapshot snapshot, PlacementRequest placement, ServerRequest request, int? limit)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(computeNodes);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(request);
        if (placement.RejectedByPlacement)
        {
            var refused = new Rejection(HostChecks.Placement, $"the request has {placement.Numbered.Count} numbered groups and " +
                "no group_policy, which Placement refuses (06 PM-26); set group_policy=none or isolate in the flavor");
            return new(new SchedulingDecision(null, [.. hosts.Select(_ => refused)], []), request.PciRequests);
        }

        var byRoot = AllocationCandidateGenerator.Generate(snapshot, placement.ToCandidateQuery(limit))
            .GroupBy(c => c.RootUuid)
            .ToDictionary(g => g.Key, g => g.Select(c => new AllocationCandidate([.. c.Mappings])).ToList(), StringComparer.Ordinal);
        var offered = new List<int>();
        var rejections = new Rejection?[hosts.Count];
        var candidates = new List<HostState>();
        for (var i = 0; i < hosts.Count; i++)
        {
            if (computeNodes.TryGetValue(hosts[i].Name, out var root) && byRoot.TryGetValue(root, out var mine))
            {
                offered.Add(i);
                candidates.Add(hosts[i] with { AllocationCandidates = mine });
            }
            else
            {
                rejections[i] = new Rejection(HostChecks.Placement,
                    "Placement has no allocation candidate on this host for the request's resources and PCI groups " +
                    $"({Describe(placement)})");
            }
        }

        var decision = scheduler.Schedule(candidates, request);
        for (var k = 0; k < offered.Count; k++)
        {
            rejections[offered[k]] = decision.Rejections[k];
        }

        var chosen = decision.Chosen is { } c ? offered[c] : (int?)null;
        var requests = decision.Chosen is { } picked ? ChosenProviders(candidates[picked], request) : request.PciRequests;
        return new(new SchedulingDecision(chosen, rejections,
            [.. decision.Weights.Select(w => KeyValuePair.Create(offered[w.Key], w.Value))]), requests);
    }

    /// <summary>
    /// PM-27: the first candidate the filters keep on the chosen host gives each alias request its providers. The NUMA
    /// filter's are a subset of the PCI filter's (a fit on cells needs <c>support</c> without them, 05 NF-15).
    /// </summary>
    private static IReadOnlyList<PciRequest> ChosenProviders(HostState host, ServerRequest request)
    {
        var kept = new NumaTopologyFilter().Reduce(host, request) ?? new PciPassthroughFilter().Evaluate(host, request).Kept;
        return kept is [var first, ..] ? [.. request.PciRequests.Select(r => r.WithChosenProviders(first.Mappings))] : request.PciRequests;
    }

    private static string Describe(PlacementRequest placement) =>
        string.Join("; ", new[] { placement.Root }.Concat(placement.Numbered)
            .Where(g => g.Resources.Count > 0 || !g.Required.IsEmpty)
            .Select(g => (g.IsUnsuffixed ? "root" : g.Suffix) + ": " + string.Join(", ", g.Resources.Select(r => $"{r.Value} {r.Key}")) +
                (g.Required.IsEmpty ? "" : " with " + string.Join(", ", g.Required.AnyOf.SelectMany(s => s)))));
}

/// <summary>The decision, and the server's PCI requests with the chosen providers recorded (06 PM-27).</summary>
public sealed record PlacementSchedulingResult(SchedulingDecision Decision, IReadOnlyList<PciRequest> PciRequests);
