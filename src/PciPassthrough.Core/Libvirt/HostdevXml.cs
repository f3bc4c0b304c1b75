using System.Globalization;
using System.Xml.Linq;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Libvirt;

/// <summary>The <c>&lt;hostdev&gt;</c> of a PCI device passed through whole (07 LV-3…LV-5, LV-9).</summary>
public static class HostdevXml
{
    private const string ManagedKey = "managed";

    /// <summary>07 LV-3: the device at <paramref name="address"/>; <c>managed="no"</c> leaves the host driver binding
    /// to the operator.</summary>
    public static XElement Render(PciAddress address, bool managed) =>
        new("hostdev",
            new XAttribute("mode", "subsystem"),
            new XAttribute("type", "pci"),
            new XAttribute("managed", managed ? "yes" : "no"),
            new XElement("source", Address(address)));

    /// <summary>07 LV-4: an alias device, managed unless its extra info <c>managed</c> says anything but
    /// <c>"true"</c>.</summary>
    public static XElement Render(TrackedDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var managed = device.ExtraInfo.GetValueOrDefault(ManagedKey) is null or "true";
        return Render(PciAddress.Parse(device.Address), managed);
    }

    /// <summary>The <c>&lt;address&gt;</c> of LV-3 (and, with <c>type="pci"</c> first, of LV-6): each field in the
    /// stored width, lower-case hex, prefixed <c>0x</c>.</summary>
    internal static XElement Address(PciAddress address, params XAttribute[] first) =>
        new("address",
            first,
            new XAttribute("domain", $"0x{address.Domain:x4}"),
            new XAttribute("bus", $"0x{address.Bus:x2}"),
            new XAttribute("slot", $"0x{address.Slot:x2}"),
            new XAttribute("function", $"0x{address.Function:x1}"));

    /// <summary>
    /// 07 LV-5: the source address of a <c>&lt;hostdev&gt;</c> or <c>&lt;interface type="hostdev"&gt;</c>, read
    /// numerically whether or not libvirt wrote a <c>0x</c> prefix; null when there is none or it is out of range.
    /// </summary>
    public static PciAddress? ReadSourceAddress(XElement device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Element("source")?.Element("address") is not { } address
            || !TryField(address, "domain", PciAddress.MaxDomain, out var domain)
            || !TryField(address, "bus", PciAddress.MaxBus, out var bus)
            || !TryField(address, "slot", PciAddress.MaxSlot, out var slot)
            || !TryField(address, "function", PciAddress.MaxFunction, out var function))
        {
            return null;
        }

        return PciAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"{domain:x4}:{bus:x2}:{slot:x2}.{function:x1}"));
    }

    private static bool TryField(XElement address, string name, int max, out int value)
    {
        var text = address.Attribute(name)?.Value ?? "";
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            && value >= 0 && value <= max;
    }
}
