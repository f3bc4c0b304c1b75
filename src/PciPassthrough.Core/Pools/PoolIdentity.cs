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

    // tags converted once per spec: a host has a handful of specs and thousands of devices
    private readonly Dictionary<DeviceSpec, KeyValuePair<string, PoolValue>[]> _tags = new(ReferenceEqualityComparer.Instance);

    public NovaRelease Release => release;

    /// <summary>The device's identity map; null when no spec selects it (PL-2: never pooled).</summary>
    public PoolKeys? KeysOf(TrackedDevice device)
    {
        if (device.Spec is not { } spec)
        {
            return null;
        }

        var record = device.Record;
        var keys = new PoolKeys.Builder()
            .Set(PoolKeys.ProductId, PoolValue.Of(record.ProductId))
            .Set(PoolKeys.VendorId, PoolValue.Of(record.VendorId))
            .Set(PoolKeys.NumaNode, PoolValue.Of(record.NumaNode))
            .Set(PoolKeys.DeviceType, PoolValue.Of(record.DeviceType.ToNovaName()));
        foreach (var (name, value) in TagsOf(spec))
        {
            keys.Set(name, value);
        }

        if (release == NovaRelease.Latest)
        {
            keys.Set(AddressKey, PoolValue.Of(record.ParentAddress ?? record.Address));
        }

        if (device.ParentIfname is { } parentIfname)
        {
            keys.Set(ParentIfnameKey, PoolValue.Of(parentIfname));
        }

        // network devices are not remote-managed unless a tag says so; plain PCI devices get no such key
        if (record.DeviceType != PciDeviceType.Pci && keys.Get(PoolKeys.RemoteManaged).IsNull)
        {
            keys.Set(PoolKeys.RemoteManaged, PoolValue.Of("false"));
        }

        return keys.Build();
    }

    private KeyValuePair<string, PoolValue>[] TagsOf(DeviceSpec spec)
    {
        if (!_tags.TryGetValue(spec, out var tags))
        {
            tags = [.. spec.Tags
                .Where(t => release == NovaRelease.Zed || t.Key is not (ResourceClassTag or TraitsTag))
                .Select(t => KeyValuePair.Create(t.Key, PoolValue.FromJson(t.Value)))];
            _tags[spec] = tags;
        }

        return tags;
    }
}
