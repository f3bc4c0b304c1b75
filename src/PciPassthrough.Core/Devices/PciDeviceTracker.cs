using PciPassthrough.Core.Config;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Pools;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Devices;

/// <summary>
/// The PCI devices of one compute host (02 §5–6; Nova's <c>PciDevTracker</c>): the tracked devices in address order
/// with their PF/VF tree, the claims and allocations per instance, the pools of free devices, and the sync with what
/// the hypervisor reports.
/// </summary>
public sealed class PciDeviceTracker
{
    private readonly SegmentedList<TrackedDevice> _devices = [];

    // during a sync, the reported record of each tracked device at the device's index (none: not reported); kept
    // between syncs so a periodic sync allocates no large table
    private readonly SegmentedList<MatchedPciDevice> _reported = [];
    private readonly Dictionary<string, List<TrackedDevice>> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TrackedDevice>> _allocations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MatchedPciDevice> _stale = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];

    /// <summary>A tracker for a host with no stored devices.</summary>
    /// <param name="release">Which release's pool rules to use.</param>
    /// <param name="hostCells">The host's NUMA cells and sockets (04 PL-13).</param>
    public PciDeviceTracker(NovaRelease release, IReadOnlyList<NumaCellSocket> hostCells)
        : this(new DevicePools(release, hostCells))
    {
    }

    private PciDeviceTracker(DevicePools pools) => Pools = pools;

    /// <summary>The pools of free devices.</summary>
    public DevicePools Pools { get; }

    /// <summary>Every tracked device, in ascending address order (ordinal) after each sync.</summary>
    public IReadOnlyList<TrackedDevice> Devices => _devices;

    /// <summary>Devices claimed per instance (02 LC-10).</summary>
    public IReadOnlyDictionary<string, List<TrackedDevice>> Claims => _claims;

    /// <summary>Devices allocated per instance (02 LC-11).</summary>
    public IReadOnlyDictionary<string, List<TrackedDevice>> Allocations => _allocations;

    /// <summary>
    /// 02 LC-21: the tracker rebuilt from storage at service start — devices sorted by address, the tree built,
    /// claims and allocations restored, every available device pooled in address order. Run <see cref="Sync"/> next.
    /// </summary>
    /// <param name="release">Which release's pool rules to use.</param>
    /// <param name="hostCells">The host's NUMA cells and sockets.</param>
    /// <param name="stored">The stored devices.</param>
    /// <param name="specOf">The spec selecting a record under the CURRENT configuration, or null (pool keys always
    /// come from the current configuration).</param>
    public static PciDeviceTracker Restore(
        NovaRelease release, IReadOnlyList<NumaCellSocket> hostCells, IEnumerable<StoredPciDevice> stored,
        Func<PciDeviceRecord, DeviceSpec?> specOf)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(specOf);
        var tracker = new PciDeviceTracker(release, hostCells);
        tracker._devices.AddRange(stored.Select(s => TrackedDevice.Restore(s, specOf(s.Record))));
        tracker.BuildTree();
        foreach (var device in tracker._devices)
        {
            switch (device.Status)
            {
                case PciDeviceStatus.Claimed:
                    tracker.ListOf(tracker._claims, device.InstanceId!).Add(device);
                    break;
                case PciDeviceStatus.Allocated:
                    tracker.ListOf(tracker._allocations, device.InstanceId!).Add(device);
                    break;
                case PciDeviceStatus.Available:
                    tracker.Pools.Add(device);
                    break;
            }
        }

        return tracker;
    }

    /// <summary>The tracked device at <paramref name="address"/> (the first, should storage hold two), or null.</summary>
    public TrackedDevice? Find(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var index = LowerBound(address, _devices.Count);
        return index < _devices.Count && string.Equals(_devices[index].Address, address, StringComparison.Ordinal)
            ? _devices[index]
            : null;
    }

    /// <summary>
    /// 02 LC-16…LC-20: take the hypervisor's current report. Gone devices are removed (or held when in use), devices
    /// still there are updated (or their new record deferred while in use), new ones are added in reported order and
    /// pooled; then the tree is rebuilt.
    /// </summary>
    /// <param name="reported">The reported devices that match a spec, in the hypervisor's order; read once, so a
    /// caller can stream them instead of building a large list.</param>
    public DeviceSyncResult Sync(IEnumerable<MatchedPciDevice> reported)
    {
        ArgumentNullException.ThrowIfNull(reported);
        SegmentedList<TrackedDevice> updated = [], deferred = [], removed = [], held = [], added = [];
        List<string> warnings = [];
        var tracked = _devices.Count;
        HashSet<string>? newAddresses = null;
        string? lastNew = null;
        while (_reported.Count < tracked)
        {
            _reported.Add(default);
        }

        // discovery reports in address order, as the devices are kept: the next tracked device is usually the one
        var next = 0;
        try
        {
            foreach (var device in reported)
            {
                // the first report of an address counts; tracked addresses (removed ones too, until saved) are not new
                var address = device.Record.Address;
                var at = next < tracked && string.Equals(_devices[next].Address, address, StringComparison.Ordinal)
                    ? next : LowerBound(address, tracked);
                if (at < tracked && string.Equals(_devices[at].Address, address, StringComparison.Ordinal))
                {
                    if (_reported[at].Record is null)
                    {
                        _reported[at] = device;
                    }

                    next = at + 1;
                    continue;
                }

                // discovery reports in address order, where nothing repeats: only another order needs a set (no large
                // table on a compute's first sync)
                if (newAddresses is not null || (lastNew is not null && string.CompareOrdinal(address, lastNew) <= 0))
                {
                    newAddresses ??= added.Select(d => d.Address).ToHashSet(StringComparer.Ordinal);
                    if (!newAddresses.Add(address))
                    {
                        continue;
                    }
                }

                lastNew = address;
                added.Add(new TrackedDevice(device.Record, device.Spec));
            }
        }
        catch
        {
            // a report that fails half-way leaves nothing behind for the next sync
            for (var i = 0; i < tracked; i++)
            {
                _reported[i] = default;
            }

            throw;
        }

        MatchedPciDevice previous = default;
        for (var i = 0; i < tracked; i++)
        {
            var (device, current) = (_devices[i], _reported[i]);
            _reported[i] = default;
            if (current.Record is null && i > 0 && string.Equals(_devices[i - 1].Address, device.Address, StringComparison.Ordinal))
            {
                // storage may hold an address twice: both take its report
                current = previous;
            }

            previous = current;
            if (current.Record is null)
            {
                if (TryRemoveVanished(device, warnings))
                {
                    removed.Add(device);
                }
                else
                {
                    held.Add(device);
                }
            }
            else if (device.Status is PciDeviceStatus.Claimed or PciDeviceStatus.Allocated)
            {
                // LC-18: a device in use keeps its properties until it is freed
                _stale[device.Address] = current;
                deferred.Add(device);
            }
            else
            {
                device.Update(current.Record, current.Spec);
                Pools.MoveIfTypeChanged(device);
                updated.Add(device);
            }
        }

        foreach (var device in added)
        {
            _devices.Add(device);
            Pools.Add(device);
        }

        BuildTree();
        _warnings.AddRange(warnings);
        return new DeviceSyncResult(added, updated, deferred, removed, held, warnings);
    }

    /// <summary>
    /// 02 LC-10: consume the requests from the pools and claim the devices for the instance. Nothing is claimed when
    /// the host tracks no device or there is no request.
    /// </summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="requests">Its PCI requests.</param>
    /// <param name="hostCellIds">The host cells its NUMA cells were fitted to, or null without a NUMA topology.</param>
    /// <returns>The devices taken, in taking order, with their request index.</returns>
    /// <exception cref="Errors.PciException"><c>PciDeviceRequestFailed</c> (nothing claimed), or a claim error of LC-6.</exception>
    public IReadOnlyList<PciPick> ClaimForInstance(
        string instanceId, IReadOnlyList<PciRequest> requests, IReadOnlyList<int>? hostCellIds = null)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(requests);
        if (_devices.Count == 0 || requests.Count == 0)
        {
            return [];
        }

        var picks = Pools.Consume(requests, hostCellIds);
        if (picks.Count == 0)
        {
            return picks;
        }

        foreach (var pick in picks)
        {
            if (pick.Device.Claim(instanceId) is { } warning)
            {
                _warnings.Add(warning);
            }
        }

        if (hostCellIds is not null && picks.Any(p => p.Device.Record.NumaNode is null))
        {
            _warnings.Add($"instance {instanceId} has a NUMA topology but got a PCI device without NUMA affinity.");
        }

        _claims[instanceId] = [.. picks.Select(p => p.Device)];
        return picks;
    }

    /// <summary>02 LC-11: allocate every device claimed for the instance; the claims become allocations.</summary>
    public IReadOnlyList<TrackedDevice> AllocateForInstance(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        if (!_claims.Remove(instanceId, out var devices))
        {
            return [];
        }

        foreach (var device in devices)
        {
            device.Allocate(instanceId);
        }

        ListOf(_allocations, instanceId).AddRange(devices);
        return devices;
    }

    /// <summary>
    /// 02 LC-12: free the instance's allocated devices, then its claimed ones, walking devices in address order.
    /// </summary>
    /// <returns>Every device that became available, in the order they were re-pooled.</returns>
    public IReadOnlyList<TrackedDevice> FreeInstance(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        var freed = new List<TrackedDevice>();
        foreach (var (holdings, status) in new[] { (_allocations, PciDeviceStatus.Allocated), (_claims, PciDeviceStatus.Claimed) })
        {
            if (holdings.Remove(instanceId, out var devices) && devices.Count > 0)
            {
                foreach (var device in _devices.Where(d => d.Status == status && d.InstanceId == instanceId).ToList())
                {
                    freed.AddRange(FreeOne(device));
                }
            }
        }

        return freed;
    }

    /// <summary>02 LC-13: free one device of the instance (a detached port or device).</summary>
    public IReadOnlyList<TrackedDevice> FreeDevice(TrackedDevice device, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(instanceId);
        if (!_devices.Contains(device) || device.InstanceId != instanceId)
        {
            return [];
        }

        Forget(_allocations, instanceId, device);
        Forget(_claims, instanceId, device);
        return FreeOne(device);
    }

    /// <summary>
    /// 02 LC-14: free every claim and allocation of instances that are neither on the host nor migrating.
    /// </summary>
    public IReadOnlyList<TrackedDevice> CleanUp(IEnumerable<string> instances, IEnumerable<string> migratingInstances)
    {
        var existing = instances.Concat(migratingInstances).ToHashSet(StringComparer.Ordinal);
        var freed = new List<TrackedDevice>();
        foreach (var holdings in new[] { _claims, _allocations })
        {
            foreach (var instance in holdings.Keys.Where(i => !existing.Contains(i)).ToList())
            {
                holdings.Remove(instance, out var devices);
                foreach (var device in devices!)
                {
                    freed.AddRange(FreeOne(device));
                }
            }
        }

        return freed;
    }

    /// <summary>02 LC-20: persist; <see cref="PciDeviceStatus.Removed"/> devices become deleted and are dropped.</summary>
    /// <returns>The dropped devices.</returns>
    public IReadOnlyList<TrackedDevice> Save()
    {
        var deleted = _devices.Where(d => d.Status == PciDeviceStatus.Removed).ToList();
        foreach (var device in deleted)
        {
            device.Delete();
        }

        _devices.RemoveAll(d => d.Status == PciDeviceStatus.Deleted);
        return deleted;
    }

    /// <summary>Warnings since the last call (inconsistent PF/VF states, devices held while in use, …).</summary>
    public IReadOnlyList<string> TakeWarnings()
    {
        var warnings = _warnings.ToList();
        _warnings.Clear();
        return warnings;
    }

    /// <summary>
    /// The reference simulator's copy of a host loses the hypervisor extras of every allocated device (its deep copy
    /// reaches them through the instance first): <c>parent_ifname</c> no longer keys the pool they return to when freed,
    /// and a <c>remote_managed</c> spec no longer selects them. <paramref name="specs"/> picks their spec again.
    /// </summary>
    public void ForgetExtraInfoOfAllocated(DeviceSpecSet specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        foreach (var device in _devices.Where(d => d.Status == PciDeviceStatus.Allocated && d.HasExtraInfo))
        {
            device.ForgetExtraInfo(specs);
        }
    }

    /// <summary>An independent copy (a scratch host for a trial claim): devices, tree, pools, claims, allocations.</summary>
    public PciDeviceTracker Clone()
    {
        // devices compare by reference: one object per address
        var copies = _devices.ToDictionary(d => d, d => d.CloneState());
        TrackedDevice CopyOf(TrackedDevice device) => copies[device];

        var clone = new PciDeviceTracker(Pools.Clone(CopyOf));
        foreach (var device in _devices)
        {
            var copy = CopyOf(device);
            clone._devices.Add(copy);
            foreach (var child in device.Children)
            {
                copy.AttachChild(CopyOf(child));
            }
        }

        foreach (var (instance, devices) in _claims)
        {
            clone._claims[instance] = [.. devices.Select(CopyOf)];
        }

        foreach (var (instance, devices) in _allocations)
        {
            clone._allocations[instance] = [.. devices.Select(CopyOf)];
        }

        foreach (var (address, record) in _stale)
        {
            clone._stale[address] = record;
        }

        return clone;
    }

    /// <summary>02 LC-17: remove a vanished device, or keep it (flagged) when it is in use.</summary>
    private bool TryRemoveVanished(TrackedDevice device, List<string> warnings)
    {
        try
        {
            device.Remove();
        }
        catch (Errors.PciException e)
        {
            device.RemoveWhenFreed = true;
            warnings.Add($"unable to remove PCI device {device.Address} (status '{device.Status.ToNovaName()}', " +
                $"instance {device.InstanceId ?? "none"}): {e.Message} It is no longer reported or no longer selected " +
                "by [pci] device_spec; delete or migrate the server to release it.");
            return false;
        }

        if (Pools.Contains(device))
        {
            Pools.Remove(device);
        }

        return true;
    }

    /// <summary>02 LC-8 + LC-15: free a device, apply its deferred record, re-pool what became available.</summary>
    private IReadOnlyList<TrackedDevice> FreeOne(TrackedDevice device)
    {
        var freed = device.Free();
        if (_stale.Remove(device.Address, out var stale))
        {
            device.Update(stale.Record, stale.Spec);
        }

        if (device.RemoveWhenFreed)
        {
            // Nova quirk: the parent/children freed with it stay out of the pools until a restart
            device.Remove();
            return freed;
        }

        foreach (var available in freed)
        {
            Pools.Add(available);
        }

        return freed;
    }

    /// <summary>02 LC-4: sort by address, then link each VF / vDPA device to its tracked, non-removed PF.</summary>
    private void BuildTree()
    {
        if (!IsInAddressOrder())
        {
            // stable, as Nova's sort: a list already in order (every periodic sync) is left alone
            var sorted = _devices.OrderBy(d => d.Address, StringComparer.Ordinal).ToList();
            _devices.Clear();
            _devices.AddRange(sorted);
        }

        var parents = new Dictionary<string, TrackedDevice>(StringComparer.Ordinal);
        foreach (var device in _devices)
        {
            device.ResetTreeLinks();
            if (device.Status is PciDeviceStatus.Removed or PciDeviceStatus.Deleted)
            {
                continue;
            }

            if (device.DeviceType == PciDeviceType.PhysicalFunction)
            {
                parents[device.Address] = device;
            }
            else if (device.DeviceType.IsChild() && device.Record.ParentAddress is { } parentAddress
                && parents.TryGetValue(parentAddress, out var parent))
            {
                // a VF listed before its PF stays an orphan, as in Nova's single pass
                parent.AttachChild(device);
            }
        }
    }

    private bool IsInAddressOrder()
    {
        for (var i = 1; i < _devices.Count; i++)
        {
            if (string.CompareOrdinal(_devices[i - 1].Address, _devices[i].Address) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first index below <paramref name="count"/> whose address is not before <paramref name="address"/>:
    /// the tracked devices are in address order between syncs, so lookups need no index of their own.</summary>
    private int LowerBound(string address, int count)
    {
        var (low, high) = (0, count);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (string.CompareOrdinal(_devices[middle].Address, address) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private List<TrackedDevice> ListOf(Dictionary<string, List<TrackedDevice>> holdings, string instanceId)
    {
        if (!holdings.TryGetValue(instanceId, out var devices))
        {
            devices = [];
            holdings[instanceId] = devices;
        }

        return devices;
    }

    private static void Forget(Dictionary<string, List<TrackedDevice>> holdings, string instanceId, TrackedDevice device)
    {
        if (holdings.TryGetValue(instanceId, out var devices) && devices.Remove(device) && devices.Count == 0)
        {
            holdings.Remove(instanceId);
        }
    }
}
