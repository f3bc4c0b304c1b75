using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// A host's pools as the scheduler sees them (04 PL-7, scenario-format SIM-35): identity with tag values as text,
/// counts, no devices, ordered by the number of entries (Nova re-sorts the pools it reads). Immutable: <see cref="Supports"/>
/// works on a throw-away overlay of the counts and <see cref="Apply"/> returns a new summary.
/// </summary>
public sealed class PoolSummary : IPciNumaView
{
    private readonly PoolSummaryEntry[] _pools;
    private readonly PoolFilter _filter;

    private PoolSummary(PoolSummaryEntry[] pools, PoolFilter filter)
    {
        (_pools, _filter) = (pools, filter);
        foreach (var pool in pools)
        {
            FreeCount = IntegerText.SaturatedAdd(FreeCount, pool.Count);
        }
    }

    public IReadOnlyList<PoolSummaryEntry> Pools => _pools;

    /// <summary>Σ count over the pools (what <c>PCIWeigher</c> reads, 05 NF-18).</summary>
    public long FreeCount { get; }

    /// <summary>The summary of <paramref name="pools"/> (in compute order, count-0 pools included).</summary>
    /// <exception cref="PciException"><c>ValueError</c> when a tag value is a list or an object.</exception>
    internal static PoolSummary From(IEnumerable<IPoolEntry> pools, PoolFilter filter) =>
        new([.. pools
            .Select(p => new PoolSummaryEntry(PoolKeysInterner.Intern(p.Keys.ToSchedulerKeys()), p.Count, p.RpUuid))
            .OrderBy(p => p.Keys.Count + (p.RpUuid is null ? 0 : 1))], filter);

    /// <summary>
    /// 04 PL-15: whether the requests could be applied, in order, without touching the summary.
    /// </summary>
    /// <param name="requests">The requests.</param>
    /// <param name="hostCellIds">The host cells of the guest's NUMA cells, or null without a guest NUMA topology.</param>
    /// <param name="mapping">An allocation candidate's mapping, request group → providers (04 PL-16), or null.</param>
    public bool Supports(
        IReadOnlyList<PciRequest> requests, IReadOnlyList<int>? hostCellIds = null,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? mapping = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 1 && hostCellIds is not { Count: > 0 } && mapping is null
            && PoolFilter.SupportsAlone(_pools, requests[0]) is { } alone)
        {
            return alone;
        }

        using var overlay = new PoolOverlay(_pools);
        return overlay.TryApply(requests, hostCellIds, mapping, _filter) is null;
    }

    /// <summary>Like <see cref="Supports"/>, but says which request fell short where (null when they fit).</summary>
    public PciShortfall? Explain(
        IReadOnlyList<PciRequest> requests, IReadOnlyList<int>? hostCellIds = null,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? mapping = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        using var overlay = new PoolOverlay(_pools);
        return overlay.TryApply(requests, hostCellIds, mapping, _filter);
    }

    /// <summary>04 PL-17: the summary after the requests (what the scheduler keeps for the host it chose).</summary>
    /// <exception cref="PciException"><c>PciDeviceRequestFailed</c>.</exception>
    public PoolSummary Apply(
        IReadOnlyList<PciRequest> requests, IReadOnlyList<int>? hostCellIds = null,
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? mapping = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        using var overlay = new PoolOverlay(_pools);
        if (overlay.TryApply(requests, hostCellIds, mapping, _filter) is not null)
        {
            throw new PciException(PciErrorKinds.PciDeviceRequestFailed,
                $"the PCI requests ({string.Join("; ", requests.Select(r => $"{r.Count} × {DevicePools.DescribeSpecs(r)}"))}) " +
                "cannot be met by this host's pools.");
        }

        return new PoolSummary([.. overlay.Remaining().Select(p => ((PoolSummaryEntry)p.Pool) with { Count = p.Count })], _filter);
    }

    /// <inheritdoc/>
    public long FreeCountOn(int hostCellId)
    {
        var count = 0L;
        foreach (var pool in _pools)
        {
            count = IntegerText.SaturatedAdd(count, pool.Keys.Numa.EqualsCell(hostCellId) ? pool.Count : 0);
        }

        return count;
    }

    /// <inheritdoc/>
    public long MatchingCountOn(PciRequest request, int hostCellId) => PoolFilter.CountMatchingOn(_pools, request, hostCellId);

    /// <inheritdoc/>
    bool IPciNumaView.Supports(IReadOnlyList<PciRequest> requests, IReadOnlyList<int> hostCellIds) => Supports(requests, hostCellIds);
}
