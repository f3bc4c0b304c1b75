using System.Runtime.CompilerServices;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// The filtering pipeline of one PCI request over a host's pools (04 §3), shared by the scheduler's <c>apply</c> and
/// the compute's <c>consume</c>. Every step keeps pool order; the request fails when fewer devices than it asks for
/// are left, or no pool at all. Zed runs the same steps: its requests never carry <c>live_migratable</c> and never
/// get a Placement allocation, so steps 6 and 7 keep everything (scenario-format §6).
/// </summary>
internal sealed class PoolFilter(IReadOnlyList<NumaCellSocket> hostCells)
{
    /// <summary>The spec-map key holding the providers chosen for an alias request (06 PM-27).</summary>
    public const string RpUuidsKey = "rp_uuids";

    private const string ResourceClassKey = "resource_class", TraitsKey = "traits";
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
        var shape = RequestShape.Of(request);
        var kept = Compact(pools, shape, static (p, s) => s.Matches(p.Keys));
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

        if (!shape.AsksPhysicalFunction)
        {
            kept = Compact(pools[..kept], shape, static (p, s) => s.KeepsPhysicalFunction(p.Keys));
            if (Fails(pools[..kept], request, PoolFilterStep.UnrequestedPhysicalFunctions, ref outcome))
            {
                return -1;
            }
        }

        kept = Compact(pools[..kept], shape, static (p, s) => s.KeepsVdpaAndRemoteManaged(p.Keys));
        if (Fails(pools[..kept], request, PoolFilterStep.UnrequestedVdpaOrRemoteManaged, ref outcome))
        {
            return -1;
        }

        if (rpUuids.Count > 0)
        {
            kept = Compact(pools[..kept], rpUuids,
                static (p, uuids) => p.Pool.RpUuid is { } uuid && Occurrences(uuids, uuid) is var wanted and > 0 && p.Count >= wanted);
            if (Fails(pools[..kept], request, PoolFilterStep.PlacementAllocation, ref outcome))
            {
                return -1;
            }
        }

        if (shape.LiveMigratable is not null)
        {
            kept = Compact(pools[..kept], shape, static (p, s) => s.KeepsLiveMigratable(p.Keys));
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

    /// <summary>
    /// 04 PL-15 for one request without guest NUMA cells (so the NUMA step keeps every pool) and without providers:
    /// the other steps read only a pool's keys and only ever remove pools, so the request can be met iff the pools
    /// that pass them all hold enough devices and there is one (PL-14). The same answer as <see cref="Run"/>, without
    /// an overlay: what the scheduler asks of every host of a fleet.
    /// </summary>
    /// <returns>The answer, or null when the request carries providers (the full pipeline must run).</returns>
    public static bool? SupportsAlone(IReadOnlyList<IPoolEntry> pools, PciRequest request)
    {
        var shape = RequestShape.Of(request);
        if (shape.StoredRpUuids.Count > 0)
        {
            return null;
        }

        var (left, any) = (0L, false);
        for (var i = 0; i < pools.Count; i++)
        {
            var pool = pools[i];
            if (shape.Keeps(pool.Keys))
            {
                (left, any) = (left + pool.Count, true);
            }
        }

        return any && left >= request.Count;
    }

    /// <summary>
    /// Σ count of the pools on host cell <paramref name="hostCellId"/> that match <paramref name="request"/>'s specs
    /// (04 PL-8): an upper bound of what the request can get from that cell under any NUMA policy.
    /// </summary>
    public static long CountMatchingOn(IEnumerable<IPoolEntry> pools, PciRequest request, int hostCellId)
    {
        var shape = RequestShape.Of(request);
        var count = 0L;
        foreach (var pool in pools)
        {
            count = IntegerText.SaturatedAdd(count, pool.Keys.Numa.EqualsCell(hostCellId) && shape.Matches(pool.Keys) ? pool.Count : 0);
        }

        return count;
    }

    /// <summary>04 PL-16 without a mapping: the <c>rp_uuids</c> the conductor stored in the first spec map. A pool
    /// without a provider (physnet-tagged devices, 06 PM-28) never matches them.</summary>
    public static IReadOnlyList<string> StoredRpUuids(PciRequest request) =>
        request.IsFromPort || request.Specs.Count == 0 || request.Specs[0].GetValueOrDefault(RpUuidsKey) is not { Length: > 0 } text
            ? []
            : text.Split(',');

    /// <summary>
    /// 04 PL-16: R for one request. Ports never have one (03 RQ-28); without a mapping it is the stored list;
    /// otherwise the first provider of every mapping group named after the request (one per requested device).
    /// </summary>
    public static IReadOnlyList<string> RpUuidsOf(
        PciRequest request, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? mapping)
    {
        if (request.IsFromPort)
        {
            return [];
        }

        if (mapping is null || !mapping.Any())
        {
            return StoredRpUuids(request);
        }

        // a loop, not a lambda: a lambda capturing the request would cost an allocation on every call
        var rpUuids = new List<string>();
        foreach (var (group, providers) in mapping)
        {
            if (group.StartsWith(request.RequestId, StringComparison.Ordinal) && providers.Count > 0)
            {
                rpUuids.Add(providers[0]);
            }
        }

        return rpUuids;
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
    public static bool MatchesAny(PoolKeys pool, PciRequest request) => RequestShape.Of(request).Matches(pool);

    /// <summary>04 PL-12: NUMA affinity. Without guest cells every pool stays, whatever the policy (03 RQ-24); no
    /// policy is legacy (RQ-22).</summary>
    private int FilterNuma(Span<PoolCandidate> pools, PciRequest request, IReadOnlyList<int>? cells)
    {
        if (cells is null || cells.Count == 0)
        {
            return pools.Length;
        }

        var policy = request.NumaPolicy ?? PciNumaPolicy.Legacy;
        if (policy == PciNumaPolicy.Required || SumWhere(pools, cells, OnAnyCell) >= request.Count)
        {
            return Compact(pools, cells, OnAnyCell);
        }

        if (policy == PciNumaPolicy.Socket)
        {
            return FilterSocket(pools, cells);
        }

        if (policy == PciNumaPolicy.Legacy || SumWhere(pools, cells, OnAnyCellOrNone) >= request.Count)
        {
            return Compact(pools, cells, OnAnyCellOrNone);
        }

        return PreferAffine(pools, cells);
    }

    /// <summary>
    /// <c>preferred</c> with too few affine devices: every pool, the affine and NUMA-less ones first (a stable partition).
    /// </summary>
    private static int PreferAffine(Span<PoolCandidate> pools, IReadOnlyList<int> cells)
    {
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
        return Compact(pools, allowed, OnAnyCell);
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

    private static long Sum(ReadOnlySpan<PoolCandidate> pools)
    {
        var sum = 0L;
        foreach (var pool in pools)
        {
            sum = IntegerText.SaturatedAdd(sum, pool.Count);
        }

        return sum;
    }

    private static long SumWhere<TState>(ReadOnlySpan<PoolCandidate> pools, TState state, Func<PoolCandidate, TState, bool> predicate)
    {
        var sum = 0L;
        foreach (var pool in pools)
        {
            sum = IntegerText.SaturatedAdd(sum, predicate(pool, state) ? pool.Count : 0);
        }

        return sum;
    }

    /// <summary>
    /// Keeps the pools satisfying <paramref name="keep"/> at the front, in order; returns how many. The predicates are
    /// static and get their input as <paramref name="state"/>, so a filter check allocates no closures.
    /// </summary>
    private static int Compact<TState>(Span<PoolCandidate> pools, TState state, Func<PoolCandidate, TState, bool> keep)
    {
        var kept = 0;
        foreach (var pool in pools)
        {
            if (keep(pool, state))
            {
                pools[kept++] = pool;
            }
        }

        return kept;
    }

    /// <summary>
    /// What the pipeline reads of a request, worked out once per request rather than once per pool and host: the spec
    /// maps with lower-cased values (Nova compares case-insensitively) and the kinds of device it asks for.
    /// </summary>
    private sealed class RequestShape
    {
        private static readonly ConditionalWeakTable<PciRequest, RequestShape> _shapes = [];

        private const int RecentIdentities = 8;

        private readonly KeyValuePair<string, string?>[][] _specs;
        private (PoolKeys Keys, bool Kept)[] _recent = [];

        private RequestShape(PciRequest request)
        {
            var specs = request.Specs;
            // 03 RQ-13: placement keys never constrain a pool
            _specs = [.. specs.Select(spec => spec
                .Where(p => p.Key is not (ResourceClassKey or TraitsKey or RpUuidsKey))
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.ToLowerInvariant()))
                .ToArray())];
            AsksPhysicalFunction = specs.Any(s => s.GetValueOrDefault(PoolKeys.DeviceType) == PciDeviceTypes.PhysicalFunction);
            AsksVdpa = specs.Any(s => s.GetValueOrDefault(PoolKeys.DeviceType) == PciDeviceTypes.Vdpa);
            AsksRemoteManaged = specs.Any(s => Config.NovaBoolean.ParseLenient(s.GetValueOrDefault(PoolKeys.RemoteManaged)));
            LiveMigratable = specs.All(s => s.GetValueOrDefault(PoolKeys.LiveMigratable) == TrueWord) ? TrueWord
                : specs.All(s => s.GetValueOrDefault(PoolKeys.LiveMigratable) == FalseWord) ? FalseWord
                : null;
            StoredRpUuids = request.IsFromPort ? [] : PoolFilter.StoredRpUuids(request);
        }

        public bool AsksPhysicalFunction { get; }
        public bool AsksVdpa { get; }
        public bool AsksRemoteManaged { get; }

        /// <summary>04 PL-11 step 7: the <c>live_migratable</c> value every spec asks for, or null.</summary>
        public string? LiveMigratable { get; }

        /// <summary>The providers stored in the request (PL-16 without a mapping).</summary>
        public IReadOnlyList<string> StoredRpUuids { get; }

        /// <summary>PL-11 step 3: a PF pool only for a request that asks for PFs.</summary>
        public bool KeepsPhysicalFunction(PoolKeys pool) =>
            AsksPhysicalFunction || pool.DeviceTypeName != PciDeviceTypes.PhysicalFunction;

        /// <summary>PL-11 steps 4–5: vDPA and remote-managed pools only for requests that ask for them.</summary>
        public bool KeepsVdpaAndRemoteManaged(PoolKeys pool) =>
            (AsksVdpa || pool.DeviceTypeName != PciDeviceTypes.Vdpa) && (AsksRemoteManaged || !pool.IsRemoteManaged);

        /// <summary>PL-11 step 7.</summary>
        public bool KeepsLiveMigratable(PoolKeys pool) =>
            LiveMigratable is not { } word || pool[PoolKeys.LiveMigratable].AsString == word;

        /// <summary>Every step of the pipeline that reads only the pool's keys, remembered for the last few identities:
        /// the hosts of a fleet share them (<see cref="PoolKeysInterner"/>), so a decision works each out once.</summary>
        public bool Keeps(PoolKeys pool)
        {
            // replaced whole, never changed in place: readers on other threads see an old or a new array, both right
            var recent = _recent;
            foreach (var (keys, kept) in recent)
            {
                if (ReferenceEquals(keys, pool))
                {
                    return kept;
                }
            }

            var keeps = Matches(pool) && KeepsPhysicalFunction(pool) && KeepsVdpaAndRemoteManaged(pool) && KeepsLiveMigratable(pool);
            if (recent.Length < RecentIdentities)
            {
                _recent = [.. recent, (pool, keeps)];
            }

            return keeps;
        }

        public static RequestShape Of(PciRequest request) => _shapes.GetValue(request, static r => new RequestShape(r));

        public bool Matches(PoolKeys pool)
        {
            foreach (var spec in _specs)
            {
                if (MatchesAll(pool, spec))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool MatchesAll(PoolKeys pool, KeyValuePair<string, string?>[] spec)
        {
            foreach (var (key, wanted) in spec)
            {
                // 03 RQ-27: case-insensitive; a null wish matches a null or absent tag
                var actual = pool[key];
                var equal = wanted is null
                    ? actual.IsNull
                    : actual.Lowered is { } lowered && string.Equals(lowered, wanted, StringComparison.Ordinal);
                if (!equal)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
