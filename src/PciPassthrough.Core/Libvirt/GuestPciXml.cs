using System.Xml.Linq;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Libvirt;

/// <summary>
/// The parts of a libvirt domain that PCI passthrough owns (07): device elements in the order Nova adds them (the
/// ports' interfaces, then the alias devices, then the vIOMMU last) and the guest features they need.
/// </summary>
/// <param name="Devices">Children of <c>&lt;devices&gt;</c>.</param>
/// <param name="Features">Children of <c>&lt;features&gt;</c>.</param>
public sealed record GuestPciXml(IReadOnlyList<XElement> Devices, IReadOnlyList<XElement> Features)
{
    /// <summary>07 LV-1, LV-2, LV-17: the elements of one instance.</summary>
    /// <param name="virtType"><c>[libvirt] virt_type</c>.</param>
    /// <param name="aliasDevices">The devices allocated for its alias requests, in allocation order (LV-2).</param>
    /// <param name="ports">Its SR-IOV ports, in port order.</param>
    /// <param name="flavorExtraSpecs">The flavor's extra specs (port bandwidth, LV-6).</param>
    /// <param name="viommu">The resolved vIOMMU, or null (<see cref="ViommuResolver.Resolve"/> gives none to other virt
    /// types, LV-13).</param>
    /// <exception cref="PciException">LV-1: <c>PciDeviceUnsupportedHypervisor</c> when the instance owns PCI devices and
    /// the virt type is neither kvm nor qemu.</exception>
    public static GuestPciXml Render(
        string virtType, IReadOnlyList<TrackedDevice> aliasDevices, IReadOnlyList<BoundPort> ports,
        IReadOnlyDictionary<string, string> flavorExtraSpecs, GuestViommu? viommu)
    {
        ArgumentNullException.ThrowIfNull(aliasDevices);
        ArgumentNullException.ThrowIfNull(ports);
        var kvm = virtType is "kvm" or "qemu";
        if (!kvm && (aliasDevices.Count > 0 || ports.Count > 0))
        {
            throw new PciException(PciErrorKinds.PciDeviceUnsupportedHypervisor,
                $"{virtType} hypervisor does not support PCI devices; set [libvirt] virt_type to kvm or qemu on hosts " +
                "that pass PCI devices through.");
        }

        List<XElement> devices = [.. ports.Select(p => InterfaceXml.Render(p, flavorExtraSpecs)), .. aliasDevices.Select(HostdevXml.Render)];
        if (viommu is not null)
        {
            devices.Add(IommuXml.Render(viommu));
            return new GuestPciXml(devices, [IommuXml.RenderIoapicFeature()]);
        }

        return new GuestPciXml(devices, []);
    }
}
