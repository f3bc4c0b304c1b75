using System.Numerics;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// A compute host's pools with their devices (04 §1, §5; Nova's <c>PciDeviceStats</c> on the compute): where free
/// devices are added and removed, where <c>consume</c> picks concrete devices, and the source of the scheduler's
/// <see cref="SchedulerView"/>. Pools stay ordered by the number of entries of their identity (PL-4).
/// </summary>
public sealed class DevicePools : IPciNumaView
{
    private readonly List<DevicePool> _pools = [];

    // exact identity → pool; Nova's linear "first pool that matches" only differs for keys with null values
    private readonly Dictionary<PoolKeys, DevicePool> _index = new(PoolKeysComparer.Instance);
    private readonly PoolIdentity _identity;
    private readonly PoolFilter _filter;
    private PoolSummary? _schedulerView;

    // whether several pools may have the same identity (Zed: devices whose spec has a tag named count or devices)
    private bool _sharedKeys;

    // whether the pools are in entry-count order, so a new pool can be inserted instead of re-sorting (PL-4)
    private bool _ordered = true;

    /// <param name="release">Which release's pool identity to use (04 PL-1 or scenario-format §6).</param>
    /// <param name="hostCells">The host's NUMA cells and sockets, for the <c>socket</c> policy (04 PL-13).</param>
    public DevicePools(NovaRelease release, IReadOnlyList<NumaCellSocket> hostCells)
    {
        ArgumentNullException.ThrowIfNull(hostCells);
        _identity = new PoolIdentity(release);
        HostCells = hostCells;
        _filter = new PoolFilter(hostCells);
    }

    public NovaRelease Release => _identity.Release;
    public IReadOnlyList<NumaCellSocket> HostCells { get; }

    /// <summary>The pools in Nova's order (count-0 pools included).</summary>
    public IReadOnlyList<DevicePool> Pools => _pools;

    /// <summary>The identity of the pool <paramref name="device"/> belongs (or would belong) to; null when no spec selects it.</summary>
    public PoolKeys? KeysOf(TrackedDevice device) => _identity.KeysOf(device);

    /// <summary>Whether the device is in one of these pools now (Nova: "is it among the free devices").</summary>
    public bool Contains(TrackedDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.Pool is { } pool && (ReferenceEquals(FindExact(pool.Keys), pool) || (_sharedKeys && _pools.Contains(pool)));
    }

    /// <summary>04 PL-4: append the device to its pool, creating the pool when needed. A device without spec is ignored (PL-2).</summary>
    public void Add(TrackedDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (KeysOf(device) is not { } keys)
        {
            return;
        }

        var findsNoPool = _identity.FindsNoPool(device);
        var pool = findsNoPool ? null : Find(keys);
        if (pool is null)
        {
            pool = new DevicePool(keys);
            Insert(pool);

            // Nova's lookup returns the first pool of an identity
            _index.TryAdd(keys, pool);
            _sharedKeys |= findsNoPool;
        }

        pool.Count++;
        pool.Append(device);
        Changed();
    }

    /// <summary>04 PL-5: take the device out of its pool; a pool left with no device is deleted.</summary>
    /// <exception cref="PciException"><c>PciDevicePoolEmpty</c> when its pool does not exist.</exception>
    public void Remove(TrackedDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (KeysOf(device) is not { } keys)
        {
            return;
        }

        var pool = (_identity.FindsNoPool(device) ? null : Find(keys)) ?? throw new PciException(PciErrorKinds.PciDevicePoolEmpty,
            $"cannot remove PCI device {device.Address} from the pools: no pool has its identity ({keys}).");
        if (!pool.Detach(device))
        {
            // Nova's list.remove fails the same way when a device sits in a pool it no longer matches
            throw new PciException(PciErrorKinds.ValueError,
                $"PCI device {device.Address} is not in the pool of its identity ({keys}).", novaException: false);
        }

        Decrease(pool);
        Changed();
    }

    /// <summary>02 LC-18: a free device whose type changed moves to the pool of its new type; other changes wait for a restart.</summary>
    internal void MoveIfTypeChanged(TrackedDevice device)
    {
        if (device.Pool is not { } pool || pool.Keys.DeviceTypeName == device.DeviceType.ToNovaName())
        {
            return;
        }

        pool.Detach(device);
        Decrease(pool);
        Add(device);
    }

    /// <summary>
    /// 04 PL-19…PL-22: pick devices for the requests, in order. Each request takes from its kept pools in order, from
    /// the END of each pool's device list; a taken PF takes its pooled VFs out of the pools, a taken VF its pooled
    /// parent. Pools are kept even at count 0.
    /// </summary>
    /// <param name="requests">The requests; devices get <see cref="TrackedDevice.RequestId"/> of theirs.</param>
    /// <param name="hostCellIds">The host cells of the guest's NUMA cells, or null without a guest NUMA topology.</param>
    /// <returns>The devices in taking order, each with the index of its request.</returns>
    /// <exception cref="PciException"><c>PciDeviceRequestFailed</c>: the devices taken for earlier requests go back to
    /// their pools, but the parents/children they took out do not (Nova bug, PL-23).</exception>
    public IReadOnlyList<PciPick> Consume(IReadOnlyList<PciRequest> requests, IReadOnlyList<int>? hostCellIds = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var taken = new List<PciPick>();
        try
        {
            for (var index = 0; index < requests.Count; index++)
            {
                Consume(requests[index], index, hostCellIds, taken);
            }
        }
        finally
        {
            Changed();
        }

        return taken;
    }

    /// <summary>04 PL-15 on the compute's own pools (the claim's test): apply on an overlay, change nothing.</summary>
    public bool Supports(IReadOnlyList<PciRequest> requests, IReadOnlyList<int>? hostCellIds = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return Explain(requests, hostCellIds) is null;
    }

    /// <summary>Like <see cref="Supports"/>, but says which request fell short where (null when they fit).</summary>
    public PciShortfall? Explain(IReadOnlyList<PciRequest> requests, IReadOnlyList<int>? hostCellIds = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        using var overlay = new PoolOverlay(_pools);
        return overlay.TryApply(requests, hostCellIds, null, _filter);
    }

    /// <summary>
    /// The summary the scheduler reads (04 PL-7, SIM-35): every pool in order with its count, tag values as text.
    /// Built once per change of the pools.
    /// </summary>
    /// <exception cref="PciException"><c>ValueError</c> when a tag value is a list or an object.</exception>
    public PoolSummary SchedulerView() => _schedulerView ??= PoolSummary.From(_pools, _filter);

    /// <inheritdoc/>
    public long FreeCountOn(int hostCellId) => _pools.Where(p => p.Keys.Numa.EqualsCell(hostCellId)).Aggregate(0L, (sum, p) => IntegerText.SaturatedAdd(sum, p.Count));

    /// <inheritdoc/>
    public long MatchingCountOn(PciRequest request, int hostCellId) => PoolFilter.CountMatchingOn(_pools, request, hostCellId);

    /// <inheritdoc/>
    bool IPciNumaView.Supports(IReadOnlyList<PciRequest> requests, IReadOnlyList<int> hostCellIds) => Supports(requests, hostCellIds);

    /// <summary>04 PL-6: each pool gets the provider of its devices once Placement has translated the host.</summary>
    /// <exception cref="PciException"><c>PlacementPciException</c> when one pool's devices sit on two providers.</exception>
    internal void AssignProviders()
    {
        foreach (var pool in _pools)
        {
            var uuids = pool.Devices.Select(d => d.ProviderUuid).Where(u => u is not null).Distinct().ToList();
            if (uuids.Count > 1)
            {
                throw new PciException(PciErrorKinds.PlacementPciException,
                    $"the pool {pool.Keys} holds devices of two Placement providers ({string.Join(", ", uuids)}); " +
                    "one pool must map to one provider.");
            }

            pool.RpUuid = uuids.SingleOrDefault();
        }

        // a provider adds an entry to its pool: Nova does not re-sort until the next new pool
        _ordered = IsOrdered();
        Changed();
    }

    /// <summary>A copy holding the copies of the devices (<paramref name="copyOf"/>), for a scratch host.</summary>
    internal DevicePools Clone(Func<TrackedDevice, TrackedDevice> copyOf)
    {
        var clone = new DevicePools(Release, HostCells) { _ordered = _ordered, _sharedKeys = _sharedKeys };
        foreach (var pool in _pools)
        {
            var copy = new DevicePool(pool.Keys, pool.Count) { RpUuid = pool.RpUuid };
            foreach (var device in pool.Devices)
            {
                copy.Append(copyOf(device));
            }

            clone._pools.Add(copy);
            clone._index.TryAdd(copy.Keys, copy);
        }

        return clone;
    }

    private void Consume(PciRequest request, int index, IReadOnlyList<int>? hostCellIds, List<PciPick> taken)
    {
        var rpUuids = PoolFilter.StoredRpUuids(request);
        var candidates = _pools.Select((pool, i) => new PoolCandidate(i, pool, pool.Count)).ToArray();
        var kept = _filter.Run(candidates, request, hostCellIds, rpUuids, out _);
        if (kept < 0)
        {
            // PL-19/PL-23: only the devices themselves go back, last taken first
            for (var i = taken.Count - 1; i >= 0; i--)
            {
                Add(taken[i].Device);
            }

            throw RequestFailed(request, index);
        }

        var pools = candidates[..kept].Select(c => (DevicePool)c.Pool).ToList();
        if (rpUuids.Count == 0)
        {
            var needed = IntegerText.Saturated(request.Count);
            foreach (var pool in pools)
            {
                // a negative count raises the pool (scenario-format §7 item 10), saturating at 64 bits
                var count = pool.Count >= needed ? needed : pool.Count;
                needed -= count;
                pool.Count = IntegerText.Saturated((BigInteger)pool.Count - count);
                Take(pool, count, request, index, taken);
                if (needed == 0)
                {
                    break;
                }
            }

            return;
        }

        if (pools.Where(p => p.RpUuid is not null).GroupBy(p => p.RpUuid).Any(g => g.Count() > 1))
        {
            throw RequestFailed(request, index);
        }

        foreach (var pool in pools)
        {
            var count = PoolFilter.Occurrences(rpUuids, pool.RpUuid!);
            pool.Count -= count;
            Take(pool, count, request, index, taken);
        }
    }

    private void Take(DevicePool pool, long count, PciRequest request, int index, List<PciPick> taken)
    {
        for (var i = 0; i < count; i++)
        {
            var device = pool.PopLast() ?? throw new PciException(PciErrorKinds.IndexError,
                $"the pool {pool.Keys} counts more devices than it holds (a negative request count raised it).",
                novaException: false);
            RemoveDependents(device);
            device.RequestId = request.RequestId;
            taken.Add(new PciPick(device, index));
        }
    }

    /// <summary>04 PL-22: a PF and its VFs exclude each other, so taking one takes the others out of the pools.</summary>
    private void RemoveDependents(TrackedDevice device)
    {
        if (device.DeviceType == PciDeviceType.PhysicalFunction)
        {
            foreach (var child in device.Children.Where(Contains).ToList())
            {
                Remove(child);
            }
        }
        else if (device.DeviceType.IsChild() && device.Parent is { } parent && Contains(parent))
        {
            Remove(parent);
        }
    }

    private static PciException RequestFailed(PciRequest request, int index) =>
        new(PciErrorKinds.PciDeviceRequestFailed,
            $"PCI request #{index} ({request.Count} × {DescribeSpecs(request)}) cannot be met by the free devices of this host.");

    internal static string DescribeSpecs(PciRequest request) =>
        string.Join(" or ", request.Specs.Select(s => "{" + string.Join(", ", s.Select(e => $"{e.Key}: {e.Value ?? "null"}")) + "}"));

    /// <summary>Nova's first pool whose identity matches (PL-3); the index answers unless a key is null.</summary>
    private DevicePool? Find(PoolKeys keys) =>
        keys.HasNullBeyondNuma ? _pools.FirstOrDefault(p => p.Keys.Identifies(keys)) : FindExact(keys);

    private DevicePool? FindExact(PoolKeys keys) => _index.GetValueOrDefault(keys);

    /// <summary>Nova's <c>_decrease_pool_count</c> by one: a pool with one device left is deleted.</summary>
    private void Decrease(DevicePool pool)
    {
        if (pool.Count > 1)
        {
            pool.Count--;
            return;
        }

        _pools.Remove(pool);
        if (_index.TryGetValue(pool.Keys, out var indexed) && ReferenceEquals(indexed, pool))
        {
            _index.Remove(pool.Keys);
            if (_sharedKeys && FirstWithKeys(pool.Keys) is { } next)
            {
                _index[pool.Keys] = next;
            }
        }
    }

    private DevicePool? FirstWithKeys(PoolKeys keys)
    {
        foreach (var pool in _pools)
        {
            if (PoolKeysComparer.Instance.Equals(pool.Keys, keys))
            {
                return pool;
            }
        }

        return null;
    }

    /// <summary>
    /// PL-4: Nova appends a new pool and stable-sorts the list by the number of entries of each pool, fewer first. On an
    /// ordered list that is an insertion after the last pool with as many entries or fewer.
    /// </summary>
    private void Insert(DevicePool pool)
    {
        if (!_ordered)
        {
            _pools.Add(pool);
            var sorted = _pools.OrderBy(p => p.EntryCount).ToList();
            _pools.Clear();
            _pools.AddRange(sorted);
            _ordered = true;
            return;
        }

        var at = _pools.Count;
        while (at > 0 && _pools[at - 1].EntryCount > pool.EntryCount)
        {
            at--;
        }

        _pools.Insert(at, pool);
    }

    private bool IsOrdered()
    {
        for (var i = 1; i < _pools.Count; i++)
        {
            if (_pools[i - 1].EntryCount > _pools[i].EntryCount)
            {
                return false;
            }
        }

        return true;
    }

    private void Changed() => _schedulerView = null;
}
