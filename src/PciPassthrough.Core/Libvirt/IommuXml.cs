using System.Xml.Linq;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Libvirt;

/// <summary>The virtual IOMMU elements (07 LV-17).</summary>
public static class IommuXml
{
    /// <summary>07 LV-17: interrupt remapping, caching mode and device IOTLB on, 48-bit address width; extended
    /// interrupt mode only on q35.</summary>
    public static XElement Render(GuestViommu viommu)
    {
        ArgumentNullException.ThrowIfNull(viommu);
        return new XElement("iommu",
            new XAttribute("model", viommu.Model.ToNovaName()),
            new XElement("driver",
                new XAttribute("intremap", "on"),
                new XAttribute("caching_mode", "on"),
                new XAttribute("aw_bits", "48"),
                new XAttribute("eim", viommu.ExtendedInterruptMode ? "on" : "off"),
                new XAttribute("iotlb", "on")));
    }

    /// <summary>07 LV-17: the guest feature that goes with a vIOMMU.</summary>
    public static XElement RenderIoapicFeature() => new("ioapic", new XAttribute("driver", "qemu"));
}
