using System.Buffers;
using System.Numerics;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// The scheduler's <c>apply</c> (04 PL-17) on a cheap overlay: a copy of the pools' counts and which pools it deleted,
/// never the pools themselves. <c>support</c> (PL-15) is an apply on an overlay that is then dropped, so no host state
/// is copied per check. A struct with rented scratch arrays, so a check allocates nothing: dispose it.
/// </summary>
internal readonly struct PoolOverlay : IDisposable
{
    private readonly IReadOnlyList<IPoolEntry> _pools;
    private readonly long[] _counts;
    private readonly bool[] _deleted;
    private readonly PoolCandidate[] _candidates;

    public PoolOverlay(IReadOnlyList<IPoolEntry> pools)
    {
        _pools = pools;
        _counts = ArrayPool<long>.Shared.Rent(pools.Count);
        _deleted = ArrayPool<bool>.Shared.Rent(pools.Count);
        _candidates = ArrayPool<PoolCandidate>.Shared.Rent(pools.Count);
        for (var i = 0; i < pools.Count; i++)
        {
            _counts[i] = pools[i].Count;
            _deleted[i] = false;
        }
    }

    public void Dispose()
    {
        ArrayPool<long>.Shared.Return(_counts);
        ArrayPool<bool>.Shared.Return(_deleted);
        ArrayPool<PoolCandidate>.Shared.Return(_candidates, clearArray: true);
    }

    /// <summary>The pools still there after the applied requests, with their counts, in view order.</summary>
    public List<(IPoolEntry Pool, long Count)> Remaining()
    {
        var remaining = new List<(IPoolEntry Pool, long Count)>(_pools.Count);
        for (var i = 0; i < _pools.Count; i++)
        {
            if (!_deleted[i])
            {
                remaining.Add((_pools[i], _counts[i]));
            }
        }

        return remaining;
    }

    /// <summary>Applies the requests in order, greedily (PL-18); stops at the first that cannot be met.</summary>
    /// <returns>Null when every request was applied, else why the first failing one could not be.</returns>
    public PciShortfall? TryApply(
        IReadOnlyList<PciRequest> requests, IReadOnlyList<int>? cells,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? mapping, PoolFilter filter)
    {
        for (var index = 0; index < requests.Count; index++)
        {
            var request = requests[index];
            if (TryApply(request, cells, PoolFilter.RpUuidsOf(request, mapping), filter) is { } outcome)
            {
                return new PciShortfall(index, request, outcome);
            }
        }

        return null;
    }

    private PoolFilterOutcome? TryApply(PciRequest request, IReadOnlyList<int>? cells, IReadOnlyList<string> rpUuids, PoolFilter filter)
    {
        var length = 0;
        for (var i = 0; i < _pools.Count; i++)
        {
            if (!_deleted[i])
            {
                _candidates[length++] = new PoolCandidate(i, _pools[i], _counts[i]);
            }
        }

        var candidates = _candidates.AsSpan(0, length);
        var kept = filter.Run(candidates, request, cells, rpUuids, out var outcome);
        if (kept < 0)
        {
            return outcome;
        }

        if (rpUuids.Count == 0)
        {
            var needed = IntegerText.Saturated(request.Count);
            foreach (var candidate in candidates[..kept])
            {
                needed = Decrease(candidate.Index, needed);
                if (needed == 0)
                {
                    break;
                }
            }

            return null;
        }

        if (!HasOnePoolPerProvider())
        {
            return outcome with { FailedAt = PoolFilterStep.PlacementAllocation };
        }

        foreach (var candidate in candidates[..kept])
        {
            var index = candidate.Index;
            _counts[index] -= PoolFilter.Occurrences(rpUuids, candidate.Pool.RpUuid!);
            _deleted[index] = _counts[index] == 0;
        }

        return null;
    }

    /// <summary>Nova's <c>_decrease_pool_count</c>: take up to <paramref name="needed"/>; a pool taken whole is deleted.
    /// A negative count raises the pool (scenario-format §7 item 10), which saturates at 64 bits.</summary>
    private long Decrease(int index, long needed)
    {
        if (_counts[index] > needed)
        {
            _counts[index] = IntegerText.Saturated((BigInteger)_counts[index] - needed);
            return 0;
        }

        _deleted[index] = true;
        return needed - _counts[index];
    }

    /// <summary>04 PL-17: a provider carried by two pools (of all pools left) makes the allocation ambiguous.</summary>
    private bool HasOnePoolPerProvider()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _pools.Count; i++)
        {
            if (!_deleted[i] && _pools[i].RpUuid is { } uuid && !seen.Add(uuid))
            {
                return false;
            }
        }

        return true;
    }
}
