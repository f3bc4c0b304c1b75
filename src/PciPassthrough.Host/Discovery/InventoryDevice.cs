using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;

namespace PciPassthrough.Host.Discovery;

/// <summary>One discovered function and what the compute makes of it.</summary>
/// <param name="Function">What sysfs showed.</param>
/// <param name="Spec">The first <c>device_spec</c> entry selecting it (01 DS-5), or null.</param>
/// <param name="NoMatchReason">Why no spec selects it, when a configuration was given and none does.</param>
/// <param name="Tracked">The tracked device (status, pool), when a spec selects it.</param>
public sealed record InventoryDevice(
    DiscoveredFunction Function, DeviceSpec? Spec, string? NoMatchReason, TrackedDevice? Tracked)
{
    public PciDeviceRecord Record => Function.Record;
}
