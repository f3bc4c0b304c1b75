using PciPassthrough.Core.Devices;

namespace PciPassthrough.Host.Discovery;

/// <summary>Everything one pass over <c>/sys/bus/pci/devices</c> found, in address order, and what it skipped.</summary>
public sealed record DiscoveryResult(IReadOnlyList<DiscoveredFunction> Functions, IReadOnlyList<DiscoveryWarning> Warnings)
{
    /// <summary>The device records, as the tracker and <c>device_spec</c> matching take them.</summary>
    public IReadOnlyList<PciDeviceRecord> Records => [.. Functions.Select(f => f.Record)];
}
