using System.Globalization;
using PciPassthrough.Core.Pools;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// Says which PCI request a host cannot serve and what it lacks where (issue 5 item 5), e.g. "needs 2 × type-VF
/// 8086:154c (policy required): too few free matching devices (NUMA node 0: 1 free)". Beyond Nova, which only logs.
/// </summary>
public static class PciExplanation
{
    /// <summary>
    /// Explains why <paramref name="pools"/> cannot serve <paramref name="requests"/>: the first request that fails
    /// when they are applied in order, and the pipeline step after which too few devices were left.
    /// </summary>
    public static Rejection Explain(string check, PoolSummary pools, IReadOnlyList<PciRequest> requests, IReadOnlyList<int>? hostCellIds)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(requests);
        if (pools.Explain(requests, hostCellIds) is not { } shortfall)
        {
            return new Rejection(check, "the PCI requests fit the pools");
        }

        var request = shortfall.Request;
        var free = FreeMatching(pools, request);
        var why = shortfall.Outcome.FailedAt switch
        {
            PoolFilterStep.Spec when shortfall.Outcome.Matching == 0 && shortfall.RequestIndex > 0 && free.Length > 0 =>
                "the server's earlier PCI requests take the devices it could use",
            PoolFilterStep.Spec when free.Length == 0 => "no device of the host matches",
            PoolFilterStep.Spec => $"too few free matching devices ({free})",
            PoolFilterStep.Numa => $"too few matching devices on the guest's NUMA cells under its policy ({free})",
            PoolFilterStep.UnrequestedPhysicalFunctions =>
                $"the matching free devices are PFs, which a request without dev_type type-PF never gets ({free})",
            PoolFilterStep.UnrequestedVdpaOrRemoteManaged =>
                $"the matching free devices are vDPA or remote-managed, which only a vdpa or remote-managed port gets ({free})",
            PoolFilterStep.NoPool => "no pool matches at all (even a count of 0 needs one)",
            _ => $"too few free matching devices ({free})",
        };
        return new Rejection(check, $"needs {Describe(request)}: {why}") { RequestIndex = shortfall.RequestIndex };
    }
    /// <summary>The request as an operator reads it: <c>2 × type-VF 8086:154c (policy required)</c>.</summary>
    public static string Describe(PciRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var specs = string.Join(" or ", request.Specs.Select(DescribeSpec));
        var policy = request.NumaPolicy is { } p ? $" (policy {p.ToNovaName()})" : "";
        var source = request.AliasName is { } alias ? $"alias {alias}: " : request.RequesterId is { } port ? $"port {port}: " : "";
        return string.Create(CultureInfo.InvariantCulture, $"{request.Count} × {source}{specs}{policy}");
    }

    /// <summary>Free devices of the pools that match the request, per NUMA node: <c>NUMA node 0: 3, no NUMA node: 1</c>.</summary>
    public static string FreeMatching(PoolSummary pools, PciRequest request)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(request);
        return string.Join(", ", pools.Pools
            .Where(pool => PoolFilter.MatchesAny(pool.Keys, request))
            .GroupBy(pool => pool.Keys[PoolKeys.NumaNode].ToString())
            .Select(node => $"{(node.Key == "null" ? "no NUMA node" : "NUMA node " + node.Key)}: {node.Sum(p => p.Count)} free"));
    }

    private static string DescribeSpec(IReadOnlyDictionary<string, string?> spec)
    {
        var type = spec.GetValueOrDefault(PoolKeys.DeviceType);
        var ids = $"{spec.GetValueOrDefault(PoolKeys.VendorId) ?? "*"}:{spec.GetValueOrDefault(PoolKeys.ProductId) ?? "*"}";
        var others = spec.Where(e => e.Key is not (PoolKeys.DeviceType or PoolKeys.VendorId or PoolKeys.ProductId))
            .Select(e => $"{e.Key}={e.Value ?? "null"}");
        return string.Join(" ", new[] { type, ids == "*:*" ? null : ids }.Concat(others).OfType<string>().DefaultIfEmpty("any device"));
    }
}
