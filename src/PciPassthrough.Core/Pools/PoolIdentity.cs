using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// Which pool a device belongs to (04 PL-1), per release: Zed keys every spec tag and shares one pool among the VFs of
/// all PFs (scenario-format §6); the newest Nova leaves out <c>resource_class</c> / <c>traits</c> and adds
/// <c>address</c> (the parent's, or the device's own), so each PF and each PF's set of VFs gets its own pool.
/// </summary>
internal sealed class PoolIdentity(NovaRelease release)
{
    private const string AddressKey = "address", ParentIfnameKey = "parent_ifname";
    private const string ResourceClassTag = "resource_class", TraitsTag = "traits";
    private const string CountTag = "count", DevicesTag = "devices";

    // tags converted once per spec: a host has a handful of specs and thousands of devices
    private readonly Dictionary<DeviceSpec, KeyValuePair<string, PoolValue>[]> _tags = new(ReferenceEqualityComparer.Instance);

    // one identity per distinct source: the VFs of a PF share theirs, so a sync of thousands builds only a few
    private readonly Dictionary<Source, PoolKeys> _keys = [];

    public NovaRelease Release => release;

    /// <summary>The device's identity map; null when no spec selects it (PL-2: never pooled).</summary>
    public PoolKeys? KeysOf(TrackedDevice device)
    {
        if (device.Spec is not { } spec)
        {
            return null;
        }

        var record = device.Record;
        var source = new Source(spec, record.VendorId, record.ProductId, record.NumaNode, record.DeviceType,
            release == NovaRelease.Latest ? record.ParentAddress ?? record.Address : null, device.ParentIfname);
        if (!_keys.TryGetValue(source, out var keys))
        {
            keys = Build(source);
            _keys[source] = keys;
        }

        return keys;
    }

    private PoolKeys Build(Source source)
    {
        var keys = new PoolKeys.Builder()
            .Set(PoolKeys.ProductId, PoolValue.Of(source.ProductId))
            .Set(PoolKeys.VendorId, PoolValue.Of(source.VendorId))
            .Set(PoolKeys.NumaNode, PoolValue.Of(source.NumaNode))
            .Set(PoolKeys.DeviceType, PoolValue.Of(source.DeviceType.ToNovaName()));
        foreach (var (name, value) in TagsOf(source.Spec))
        {
            keys.Set(name, value);
        }

        if (source.Address is { } address)
        {
            keys.Set(AddressKey, PoolValue.Of(address));
        }

        if (source.ParentIfname is { } parentIfname)
        {
            keys.Set(ParentIfnameKey, PoolValue.Of(parentIfname));
        }

        // network devices are not remote-managed unless a tag says so; plain PCI devices get no such key
        if (source.DeviceType != PciDeviceType.Pci && keys.Get(PoolKeys.RemoteManaged).IsNull)
        {
            keys.Set(PoolKeys.RemoteManaged, PoolValue.Of("false"));
        }

        return keys.Build();
    }

    /// <summary>
    /// Zed: a tag named <c>count</c> or <c>devices</c> is overwritten when Nova creates the pool, so the pool's identity
    /// lacks it while the device's still has it: such a device finds no pool (a new one each time it is added,
    /// <c>PciDevicePoolEmpty</c> when it is removed).
    /// </summary>
    public bool FindsNoPool(TrackedDevice device) =>
        release == NovaRelease.Zed && device.Spec is { } spec &&
        (spec.TryGetTag(CountTag, out _) || spec.TryGetTag(DevicesTag, out _));

    private KeyValuePair<string, PoolValue>[] TagsOf(DeviceSpec spec)
    {
        if (!_tags.TryGetValue(spec, out var tags))
        {
            tags = [.. spec.Tags
                .Where(t => release == NovaRelease.Zed
                    ? t.Key is not (CountTag or DevicesTag)
                    : t.Key is not (ResourceClassTag or TraitsTag))
                .Select(t => KeyValuePair.Create(t.Key, PoolValue.FromJson(t.Value)))];
            _tags[spec] = tags;
        }

        return tags;
    }

    /// <summary>Everything a device's identity is computed from (the spec by reference; the address only under Latest).</summary>
    private readonly record struct Source(
        DeviceSpec Spec, string VendorId, string ProductId, Int128? NumaNode, PciDeviceType DeviceType, string? Address,
        string? ParentIfname);
}
