using System.Buffers;
using System.Text;
using System.Text.Json;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Pools;

namespace PciPassthrough.Core.Devices;

/// <summary>
/// A device the compute tracks (02 LC-3): what the hypervisor reported, the <c>device_spec</c> entry that selects it
/// now, its status and owner, and its place in the PF/VF tree. The operations claim / allocate / free / remove
/// (LC-6…LC-9) keep PF ↔ VF exclusivity by moving the related devices' statuses.
/// </summary>
/// <remarks>Identity is the object: one tracker holds one instance per address.</remarks>
public sealed class TrackedDevice
{
    private const string ManagedKey = "managed", LiveMigratableKey = "live_migratable", ParentIfnameKey = "parent_ifname";

    /// <summary>One scratch buffer per thread for <see cref="CapabilitiesJson"/> (trackers may sync on many threads).</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _capabilitiesBuffer;

    // both allocated only when needed: a large host tracks thousands of VFs with no children and one extra key
    private List<TrackedDevice>? _children;
    private KeyValuePair<string, string>[] _extraInfo = [];

    /// <summary>A newly discovered device: <see cref="PciDeviceStatus.Available"/>, no owner.</summary>
    public TrackedDevice(PciDeviceRecord record, DeviceSpec? spec)
        : this(record, spec, PciDeviceStatus.Available, null, null, null)
    {
    }

    private TrackedDevice(
        PciDeviceRecord record, DeviceSpec? spec, PciDeviceStatus status, string? instanceId, string? requestId,
        IEnumerable<KeyValuePair<string, string>>? extraInfo)
    {
        ArgumentNullException.ThrowIfNull(record);
        Record = record;
        Spec = spec;
        Status = status;
        InstanceId = instanceId;
        RequestId = requestId;
        if (extraInfo is not null)
        {
            foreach (var (key, value) in extraInfo)
            {
                SetExtraInfo(key, value);
            }
        }

        MergeExtraInfo(record, spec);
    }

    /// <summary>The device as last applied from the hypervisor (a held device keeps its old record, LC-18).</summary>
    public PciDeviceRecord Record { get; private set; }

    /// <summary>The first <c>device_spec</c> entry matching the device under the current configuration; null when the
    /// configuration no longer selects it (such a device is never pooled, 04 PL-2).</summary>
    public DeviceSpec? Spec { get; private set; }

    public string Address => Record.Address;
    public PciDeviceType DeviceType => Record.DeviceType;
    public PciDeviceStatus Status { get; private set; }

    /// <summary>The owning instance, or null.</summary>
    public string? InstanceId { get; private set; }

    /// <summary>The PCI request that consumed the device (04 PL-22), or null.</summary>
    public string? RequestId { get; internal set; }

    /// <summary>
    /// Extra information as Nova stores it (LC-3): <c>parent_ifname</c>, <c>capabilities</c> (JSON text), and the
    /// spec's <c>managed</c> / <c>live_migratable</c> (LC-2). A copy, in insertion order.
    /// </summary>
    public IReadOnlyDictionary<string, string> ExtraInfo => new Dictionary<string, string>(_extraInfo, StringComparer.Ordinal);

    /// <summary>The parent PF when it is tracked too (LC-4, LC-5).</summary>
    public TrackedDevice? Parent { get; private set; }

    /// <summary>The tracked VFs / vDPA devices of a PF, in address order; empty for other devices.</summary>
    public IReadOnlyList<TrackedDevice> Children => (IReadOnlyList<TrackedDevice>?)_children ?? [];

    /// <summary>Set when the device vanished while in use (LC-17): the next free removes it instead of re-pooling.</summary>
    public bool RemoveWhenFreed { get; internal set; }

    /// <summary>The Placement provider the device is counted on (06 PM-18), when reporting is on.</summary>
    public string? ProviderUuid { get; internal set; }

    /// <summary>The pool holding the device now, if any (what Nova finds by scanning its free devices).</summary>
    internal DevicePool? Pool { get; set; }

    internal string? ParentIfname => ExtraInfoOf(ParentIfnameKey) is { Length: > 0 } name ? name : null;

    internal bool HasExtraInfo => _extraInfo.Length > 0;

    /// <summary>A device read back from storage (02 LC-21) or built by a test in a given state.</summary>
    public static TrackedDevice Restore(StoredPciDevice stored, DeviceSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new TrackedDevice(stored.Record, spec, stored.Status, stored.InstanceId, stored.RequestId, stored.ExtraInfo);
    }

    /// <summary>What storage keeps of the device.</summary>
    public StoredPciDevice ToStored() => new(Record, Status, InstanceId, RequestId) { ExtraInfo = ExtraInfo };

    /// <summary>02 LC-6: reserve the device for <paramref name="instanceId"/>.</summary>
    /// <returns>A warning when a PF is claimed although some of its VFs were in an inconsistent state, else null.</returns>
    /// <exception cref="PciException"><c>PciDeviceInvalidStatus</c>, <c>PciDeviceVFInvalidStatus</c> or
    /// <c>PciDevicePFInvalidStatus</c>; nothing changes then.</exception>
    public string? Claim(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ExpectStatus("claim", PciDeviceStatus.Available);
        string? warning = null;
        if (DeviceType == PciDeviceType.PhysicalFunction)
        {
            var busy = Children.Where(c => c.Status != PciDeviceStatus.Available).ToList();
            if (busy.Any(c => c.Status is not (PciDeviceStatus.Unclaimable or PciDeviceStatus.Unavailable)))
            {
                throw VfInvalidStatus("claim", busy);
            }

            if (busy.Count > 0)
            {
                // bug 1969496: children blocked with a free parent should not happen; Nova claims anyway
                warning = $"PF {Address} is available but some of its VFs are not: {Describe(busy)}; claiming it anyway.";
            }

            SetChildren(PciDeviceStatus.Unclaimable);
        }
        else if (Parent is { } parent)
        {
            ExpectParentFreeOrBlocked("claim");
            if (parent.Status == PciDeviceStatus.Available)
            {
                parent.Status = PciDeviceStatus.Unclaimable;
            }
        }

        Status = PciDeviceStatus.Claimed;
        InstanceId = instanceId;
        return warning;
    }

    /// <summary>02 LC-7: hand the device to <paramref name="instanceId"/>, claimed before or straight from available.</summary>
    /// <exception cref="PciException"><c>PciDeviceInvalidStatus</c>, <c>PciDeviceInvalidOwner</c>,
    /// <c>PciDeviceVFInvalidStatus</c> or <c>PciDevicePFInvalidStatus</c>; nothing changes then.</exception>
    public void Allocate(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ExpectStatus("allocate", PciDeviceStatus.Available, PciDeviceStatus.Claimed);
        if (Status == PciDeviceStatus.Claimed && InstanceId != instanceId)
        {
            throw InvalidOwner("allocate", instanceId);
        }

        if (DeviceType == PciDeviceType.PhysicalFunction)
        {
            var blocking = Children.Where(c => c.Status is not (PciDeviceStatus.Available or PciDeviceStatus.Unclaimable)).ToList();
            if (blocking.Count > 0)
            {
                throw VfInvalidStatus("allocate", blocking);
            }

            SetChildren(PciDeviceStatus.Unavailable);
        }
        else if (Parent is { } parent)
        {
            ExpectParentFreeOrBlocked("allocate");
            parent.Status = PciDeviceStatus.Unavailable;
        }

        Status = PciDeviceStatus.Allocated;
        InstanceId = instanceId;
    }

    /// <summary>
    /// 02 LC-8: release the device. Returns every device that became available, in the order Nova re-pools them: a
    /// PF's children then the PF; a VF's parent (when all its other children are available) then the VF.
    /// </summary>
    /// <param name="instanceId">When given, it must be the owner.</param>
    /// <exception cref="PciException"><c>PciDeviceInvalidStatus</c> or <c>PciDeviceInvalidOwner</c>.</exception>
    public IReadOnlyList<TrackedDevice> Free(string? instanceId = null)
    {
        ExpectStatus("free", PciDeviceStatus.Claimed, PciDeviceStatus.Allocated);
        if (instanceId is not null && InstanceId != instanceId)
        {
            throw InvalidOwner("free", instanceId);
        }

        var freed = new List<TrackedDevice>();
        if (DeviceType == PciDeviceType.PhysicalFunction)
        {
            SetChildren(PciDeviceStatus.Available);
            freed.AddRange(Children);
        }
        else if (Parent is { } parent && parent.Children.All(c => c == this || c.Status == PciDeviceStatus.Available))
        {
            // a parent still blocked by a sibling keeps its status, even "unavailable" (LC-8 step 4)
            parent.Status = PciDeviceStatus.Available;
            freed.Add(parent);
        }

        Status = PciDeviceStatus.Available;
        InstanceId = null;
        RequestId = null;
        freed.Add(this);
        return freed;
    }

    /// <summary>02 LC-9: mark an unused device <see cref="PciDeviceStatus.Removed"/>.</summary>
    /// <exception cref="PciException"><c>PciDeviceInvalidStatus</c>, or <c>PciDeviceInvalidOwner</c> when an owner is
    /// set although the status looks free.</exception>
    public void Remove()
    {
        ExpectStatus("remove", PciDeviceStatus.Available, PciDeviceStatus.Unavailable, PciDeviceStatus.Unclaimable);
        if (InstanceId is not null)
        {
            throw new PciException(PciErrorKinds.PciDeviceInvalidOwner,
                $"cannot remove PCI device {Address}: it is owned by instance {InstanceId} although its status is " +
                $"'{Status.ToNovaName()}'; a device can be removed only without an owner.");
        }

        Status = PciDeviceStatus.Removed;
        InstanceId = null;
        RequestId = null;
    }

    /// <summary>02 LC-18: take the hypervisor's new view of a device that is not in use.</summary>
    internal void Update(PciDeviceRecord record, DeviceSpec? spec)
    {
        // LC-18: these two keys follow the spec; every other key only ever gets overwritten
        RemoveExtraInfo(ManagedKey);
        RemoveExtraInfo(LiveMigratableKey);
        Record = record;
        Spec = spec;
        MergeExtraInfo(record, spec);
    }

    internal void Delete() => Status = PciDeviceStatus.Deleted;

    /// <summary>
    /// Drops what the hypervisor reported beyond the PCI identity (<c>parent_ifname</c>, capabilities, VPD serial) and
    /// takes the first of <paramref name="specs"/> that selects the device without them.
    /// </summary>
    internal void ForgetExtraInfo(DeviceSpecSet specs)
    {
        _extraInfo = [];
        Record = Record with { ParentIfname = null, CardSerialNumber = null, NetworkCapabilities = [] };
        Spec = specs.Match(Record).Spec;
    }

    /// <summary>A copy of the device's own state, without tree links or pool membership.</summary>
    internal TrackedDevice CloneState() =>
        new(Record, Spec, Status, InstanceId, RequestId, _extraInfo)
        {
            RemoveWhenFreed = RemoveWhenFreed,
            ProviderUuid = ProviderUuid,
        };

    internal void ResetTreeLinks()
    {
        Parent = null;
        _children?.Clear();
    }

    internal void AttachChild(TrackedDevice child)
    {
        (_children ??= []).Add(child);
        child.Parent = this;
    }

    public override string ToString() => $"{Address} ({DeviceType.ToNovaName()}, {Status.ToNovaName()})";

    private void MergeExtraInfo(PciDeviceRecord record, DeviceSpec? spec)
    {
        if (!string.IsNullOrEmpty(record.ParentIfname))
        {
            SetExtraInfo(ParentIfnameKey, record.ParentIfname);
        }

        if (CapabilitiesJson(record) is { } capabilities)
        {
            SetExtraInfo("capabilities", capabilities);
        }

        // 01 DS-32: the matching spec's managed / live_migratable, when not null
        foreach (var key in (ReadOnlySpan<string>)[ManagedKey, LiveMigratableKey])
        {
            if (spec?.GetTagString(key) is { } value)
            {
                SetExtraInfo(key, value);
            }
        }
    }

    private string? ExtraInfoOf(string key) => IndexOfExtraInfo(key) is var index and >= 0 ? _extraInfo[index].Value : null;

    private int IndexOfExtraInfo(string key)
    {
        for (var i = 0; i < _extraInfo.Length; i++)
        {
            if (string.Equals(_extraInfo[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>As a Python dict: an existing key keeps its place, a new one goes last.</summary>
    private void SetExtraInfo(string key, string value)
    {
        var index = IndexOfExtraInfo(key);
        if (index < 0)
        {
            _extraInfo = [.. _extraInfo, KeyValuePair.Create(key, value)];
        }
        else if (!string.Equals(_extraInfo[index].Value, value, StringComparison.Ordinal))
        {
            _extraInfo[index] = KeyValuePair.Create(key, value);
        }
    }

    private void RemoveExtraInfo(string key)
    {
        if (IndexOfExtraInfo(key) >= 0)
        {
            _extraInfo = [.. _extraInfo.Where(e => !string.Equals(e.Key, key, StringComparison.Ordinal))];
        }
    }

    /// <summary>LC-1: <c>capabilities</c> as Nova stores non-string discovery values, JSON text (compact, the
    /// serializer's default escaping), written directly: a host start does this for every device that has any.</summary>
    private static string? CapabilitiesJson(PciDeviceRecord record)
    {
        if (record.NetworkCapabilities.Count == 0 && string.IsNullOrEmpty(record.CardSerialNumber))
        {
            return null;
        }

        var buffer = _capabilitiesBuffer ??= new ArrayBufferWriter<byte>();
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (record.NetworkCapabilities.Count > 0)
            {
                json.WriteStartArray("network"u8);
                foreach (var capability in record.NetworkCapabilities)
                {
                    json.WriteStringValue(capability);
                }

                json.WriteEndArray();
            }

            if (!string.IsNullOrEmpty(record.CardSerialNumber))
            {
                json.WriteStartObject("vpd"u8);
                json.WriteString("card_serial_number"u8, record.CardSerialNumber);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void SetChildren(PciDeviceStatus status)
    {
        foreach (var child in Children)
        {
            child.Status = status;
        }
    }

    private void ExpectStatus(string operation, params ReadOnlySpan<PciDeviceStatus> expected)
    {
        if (!expected.Contains(Status))
        {
            var words = new List<string>();
            foreach (var status in expected)
            {
                words.Add(status.ToNovaName());
            }

            throw new PciException(PciErrorKinds.PciDeviceInvalidStatus,
                $"cannot {operation} PCI device {Address}: its status is '{Status.ToNovaName()}', expected " +
                $"{string.Join(" or ", words)}.");
        }
    }

    private void ExpectParentFreeOrBlocked(string operation)
    {
        if (Parent is { } parent && !parent.Status.IsFreeOrBlocked())
        {
            throw new PciException(PciErrorKinds.PciDevicePFInvalidStatus,
                $"cannot {operation} PCI device {Address}: its PF {parent.Address} is '{parent.Status.ToNovaName()}', " +
                "expected available, unclaimable or unavailable.");
        }
    }

    private PciException InvalidOwner(string operation, string instanceId) =>
        new(PciErrorKinds.PciDeviceInvalidOwner,
            $"cannot {operation} PCI device {Address} for instance {instanceId}: it is " +
            $"'{Status.ToNovaName()}' by instance {InstanceId ?? "(none)"}.");

    private PciException VfInvalidStatus(string operation, List<TrackedDevice> blocking) =>
        new(PciErrorKinds.PciDeviceVFInvalidStatus,
            $"cannot {operation} PF {Address}: not all of its VFs are free ({Describe(blocking)}).");

    private static string Describe(IEnumerable<TrackedDevice> devices) =>
        string.Join(", ", devices.Select(d => $"{d.Address} is '{d.Status.ToNovaName()}'"));
}
