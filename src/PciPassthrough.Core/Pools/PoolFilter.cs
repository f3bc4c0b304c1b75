using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// The filtering pipeline of one PCI request over a host's pools (04 §3), shared by the scheduler's <c>apply</c> and
/// the compute's <c>consume</c>. Every step keeps pool order; the request fails when fewer devices than it asks for
/// are left, or no pool at all. Zed runs the same steps: its requests never carry <c>live_migratable</c> and never
/// get a Placement allocation, so steps 6 and 7 keep everything (scenario-format §6).
/// </summary>
internal sealed class PoolFilter(IReadOnlyList<NumaCellSocket> hostCells)
{
    private const string ResourceClassKey = "resource_class", TraitsKey = "traits", RpUuidsKey = "rp_uuids";
    private const string TrueWord = "true", FalseWord = "false";

    /// <summary>Runs the pipeline; the kept pools are compacted to the front of <paramref name="pools"/>.</summary>
    /// <param name="pools">The pools in view order, with their current counts; reordered and compacted in place.</param>
    /// <param name="request">The request.</param>
    /// <param name="cells">The host cells the guest's NUMA cells landed on, or null for a guest without NUMA topology.</param>
    /// <param name="rpUuids">The request's Placement providers R (04 PL-16), one per device; usually empty.</param>
    /// <param name="outcome">Where the request failed and how many devices were left (for explanations).</param>
    /// <returns>How many pools are kept, or -1 when the request cannot be met.</returns>
    public int Run(Span<PoolCandidate> pools, PciRequest request, IReadOnlyList<int>? cells, IReadOnlyList<string> rpUuids,
        out PoolFilterOutcome outcome)
    {
        var specs = request.Specs;
        var kept = Compact(pools, p => MatchesAny(p.Keys, specs));
        var matching = Sum(pools[..kept]);
        outcome = new PoolFilterOutcome(PoolFilterStep.None, matching, matching);
        if (Fails(pools[..kept], request, PoolFilterStep.Spec, ref outcome))
        {
            return -1;
        }

        kept = FilterNuma(pools[..kept], request, cells);
        if (Fails(pools[..kept], request, PoolFilterStep.Numa, ref outcome))
        {
            return -1;
        }

        if (!specs.Any(s => s.GetValueOrDefault(PoolKeys.DeviceType) == PciDeviceTypes.PhysicalFunction))
        {
            kept = Compact(pools[..kept], p => p.Keys.DeviceTypeName != PciDeviceTypes.PhysicalFunction);
            if (Fails(pools[..kept], request, PoolFilterStep.UnrequestedPhysicalFunctions, ref outcome))
            {
                return -1;
            }
        }

        if (!specs.Any(s => s.GetValueOrDefault(PoolKeys.DeviceType) == PciDeviceTypes.Vdpa))
        {
            kept = Compact(pools[..kept], p => p.Keys.DeviceTypeName != PciDeviceTypes.Vdpa);
        }

        if (!specs.Any(s => Config.NovaBoolean.ParseLenient(s.GetValueOrDefault(PoolKeys.RemoteManaged))))
        {
            kept = Compact(pools[..kept], p => !p.Keys.IsRemoteManaged);
        }

        if (Fails(pools[..kept], request, PoolFilterStep.UnrequestedVdpaOrRemoteManaged, ref outcome))
        {
            return -1;
        }

        if (rpUuids.Count > 0)
        {
            kept = Compact(pools[..kept],
                p => p.Pool.RpUuid is { } uuid && Occurrences(rpUuids, uuid) is var wanted and > 0 && p.Count >= wanted);
            if (Fails(pools[..kept], request, PoolFilterStep.PlacementAllocation, ref outcome))
            {
                return -1;
            }
        }

        if (specs.All(s => s.GetValueOrDefault(PoolKeys.LiveMigratable) == TrueWord))
        {
            kept = Compact(pools[..kept], p => p.Keys[PoolKeys.LiveMigratable].AsString == TrueWord);
        }
        else if (specs.All(s => s.GetValueOrDefault(PoolKeys.LiveMigratable) == FalseWord))
        {
            kept = Compact(pools[..kept], p => p.Keys[PoolKeys.LiveMigratable].AsString == FalseWord);
        }

        if (Fails(pools[..kept], request, PoolFilterStep.LiveMigratable, ref outcome))
        {
            return -1;
        }

        // PL-14: even a request of count 0 needs a pool
        if (kept == 0)
        {
            outcome = outcome with { FailedAt = PoolFilterStep.NoPool };
            return -1;
        }

        return kept;
    }

    /// <summary>04 PL-16 without a mapping: the <c>rp_uuids</c> the conductor stored in the first spec map.</summary>
    public static IReadOnlyList<string> StoredRpUuids(PciRequest request) =>
        request.IsFromPort || request.Specs.Count == 0 || request.Specs[0].GetValueOrDefault(RpUuidsKey) is not { Length: > 0 } text
            ? []
            : text.Split(',');

    /// <summary>
    /// 04 PL-16: R for one request. Ports never have one; without a mapping it is the stored list; otherwise the first
    /// provider of every mapping group named after the request (one per requested device).
    /// </summary>
    public static IReadOnlyList<string> RpUuidsOf(
        PciRequest request, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? mapping)
    {
        if (request.IsFromPort)
        {
            return [];
        }

        var groups = mapping?.ToList();
        if (groups is null || groups.Count == 0)
        {
            return StoredRpUuids(request);
        }

        return [.. groups
            .Where(g => g.Key.StartsWith(request.RequestId, StringComparison.Ordinal) && g.Value.Count > 0)
            .Select(g => g.Value[0])];
    }

    public static int Occurrences(IReadOnlyList<string> rpUuids, string uuid)
    {
        var count = 0;
        foreach (var candidate in rpUuids)
        {
            count += candidate == uuid ? 1 : 0;
        }

        return count;
    }

    /// <summary>04 PL-8…PL-10: the request matches a pool when ANY of its spec maps does.</summary>
    public static bool MatchesAny(PoolKeys pool, IReadOnlyList<IReadOnlyDictionary<string, string?>> specs)
    {
        foreach (var spec in specs)
        {
            if (Matches(pool, spec))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(PoolKeys pool, IReadOnlyDictionary<string, string?> spec)
    {
        foreach (var (key, wanted) in spec)
        {
            if (key is ResourceClassKey or TraitsKey or RpUuidsKey)
            {
                continue;
            }

            var actual = pool[key];
            var equal = wanted is null
                ? actual.IsNull
                : actual.Lowered is { } lowered && string.Equals(lowered, wanted.ToLowerInvariant(), StringComparison.Ordinal);
            if (!equal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>04 PL-12: NUMA affinity. Without guest cells every pool stays.</summary>
    private int FilterNuma(Span<PoolCandidate> pools, PciRequest request, IReadOnlyList<int>? cells)
    {
        if (cells is null || cells.Count == 0)
        {
            return pools.Length;
        }

        var policy = request.NumaPolicy ?? PciNumaPolicy.Legacy;
        if (policy == PciNumaPolicy.Required || SumWhere(pools, p => OnAnyCell(p, cells)) >= request.Count)
        {
            return Compact(pools, p => OnAnyCell(p, cells));
        }

        if (policy == PciNumaPolicy.Socket)
        {
            return FilterSocket(pools, cells);
        }

        if (policy == PciNumaPolicy.Legacy || SumWhere(pools, p => OnAnyCellOrNone(p, cells)) >= request.Count)
        {
            return Compact(pools, p => OnAnyCellOrNone(p, cells));
        }

        // preferred: every pool, the affine and NUMA-less ones first (a stable partition)
        var affine = pools.ToArray().Where(p => OnAnyCellOrNone(p, cells));
        var others = pools.ToArray().Where(p => !OnAnyCellOrNone(p, cells));
        affine.Concat(others).ToArray().CopyTo(pools);
        return pools.Length;
    }

    /// <summary>04 PL-13: pools on any host cell of the sockets the guest's cells are on; NUMA-less pools never.</summary>
    private int FilterSocket(Span<PoolCandidate> pools, IReadOnlyList<int> cells)
    {
        if (hostCells.Any(c => c.Socket is null))
        {
            return 0;
        }

        var sockets = hostCells.Where(c => cells.Contains(c.CellId)).Select(c => c.Socket).ToHashSet();
        var allowed = hostCells.Where(c => sockets.Contains(c.Socket)).Select(c => c.CellId).ToList();
        return Compact(pools, p => OnAnyCell(p, allowed));
    }

    private static bool OnAnyCell(PoolCandidate pool, IReadOnlyList<int> cells)
    {
        foreach (var cell in cells)
        {
            if (pool.Keys.Numa.EqualsCell(cell))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OnAnyCellOrNone(PoolCandidate pool, IReadOnlyList<int> cells) =>
        pool.Keys.Numa.IsNull || OnAnyCell(pool, cells);

    private static bool Fails(ReadOnlySpan<PoolCandidate> pools, PciRequest request, PoolFilterStep step, ref PoolFilterOutcome outcome)
    {
        var left = Sum(pools);
        outcome = outcome with { FailedAt = left < request.Count ? step : PoolFilterStep.None, Left = left };
        return outcome.FailedAt != PoolFilterStep.None;
    }

    private static int Sum(ReadOnlySpan<PoolCandidate> pools) => SumWhere(pools, _ => true);

    private static int SumWhere(ReadOnlySpan<PoolCandidate> pools, Func<PoolCandidate, bool> predicate)
    {
        var sum = 0;
        foreach (var pool in pools)
        {
            sum += predicate(pool) ? pool.Count : 0;
        }

        return sum;
    }

    /// <summary>Keeps the pools satisfying <paramref name="keep"/> at the front, in order; returns how many.</summary>
    private static int Compact(Span<PoolCandidate> pools, Func<PoolCandidate, bool> keep)
    {
        var kept = 0;
        foreach (var pool in pools)
        {
            if (keep(pool))
            {
                pools[kept++] = pool;
            }
        }

        return kept;
    }
}
