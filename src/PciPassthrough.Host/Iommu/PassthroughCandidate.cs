using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Host.Iommu;

/// <summary>A device the operator means to pass through, with the spec's <c>managed</c> tag when known.</summary>
/// <param name="Device">The discovered device.</param>
/// <param name="Managed">The matching spec's <c>managed</c>: true/false, or null when absent (libvirt's default,
/// managed) or when there is no configuration to ask.</param>
public sealed record PassthroughCandidate(PciDeviceRecord Device, bool? Managed = null)
{
    /// <summary>Class-code prefixes of the functions people pass through: network, display, NVMe, co-processors,
    /// accelerators. Used when no <c>device_spec</c> says which devices are meant.</summary>
    private static readonly string[] _usualClasses = ["0x02", "0x03", "0x0108", "0x0b40", "0x12"];

    /// <summary>Without a configuration: every VF, and every function of a usual passthrough class.</summary>
    public static IReadOnlyList<PassthroughCandidate> Guess(IEnumerable<PciDeviceRecord> devices) =>
        [.. devices
            .Where(d => d.DeviceType.IsChild()
                || (d.ClassCode is { } code && _usualClasses.Any(prefix => code.StartsWith(prefix, StringComparison.Ordinal))))
            .Select(d => new PassthroughCandidate(d))];
}
