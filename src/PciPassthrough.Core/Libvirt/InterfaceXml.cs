using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Libvirt;

/// <summary>The element of an SR-IOV port (07 LV-6…LV-9), in the attribute and element order Nova emits.</summary>
public static class InterfaceXml
{
    private const string QuotaScope = "quota";

    /// <summary>07 LV-6…LV-9 for <paramref name="port"/>.</summary>
    /// <param name="port">The bound port.</param>
    /// <param name="flavorExtraSpecs">The flavor's extra specs: <c>quota:vif_*</c> give the bandwidth (LV-6).</param>
    /// <exception cref="ArgumentException">The port's vnic type gets no PCI device (e.g. <c>normal</c>) or is
    /// rendered otherwise (<c>vdpa</c>, <c>virtio-forwarder</c>); a <c>macvtap</c> port without its netdev.</exception>
    public static XElement Render(BoundPort port, IReadOnlyDictionary<string, string> flavorExtraSpecs)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(flavorExtraSpecs);
        return port.VnicType switch
        {
            // LV-8: an offload backend plugs the VF without VLAN or bandwidth
            VnicType.RemoteManaged => Hostdev(port, null, null),
            VnicType.Direct or VnicType.AcceleratorDirect when port.OffloadBackend => Hostdev(port, null, null),
            VnicType.Direct or VnicType.AcceleratorDirect => Hostdev(port, Vlan(port.Vlan), Bandwidth(flavorExtraSpecs)),

            // LV-9: a whole PF is a plain host device, always managed
            VnicType.DirectPhysical or VnicType.AcceleratorDirectPhysical => HostdevXml.Render(port.PciSlot, managed: true),
            VnicType.Macvtap => Macvtap(port, flavorExtraSpecs),
            _ => throw new ArgumentException(
                $"vnic_type '{port.VnicType.ToNeutronName()}' is not rendered as a PCI device; expected direct, " +
                "accelerator-direct, remote-managed, direct-physical, accelerator-direct-physical or macvtap.",
                nameof(port)),
        };
    }

    /// <summary>07 LV-6, LV-7: <c>managed="yes"</c> always, whatever the device_spec <c>managed</c> tag says.</summary>
    private static XElement Hostdev(BoundPort port, XElement? vlan, XElement? bandwidth) =>
        new("interface",
            new XAttribute("type", "hostdev"),
            new XAttribute("managed", "yes"),
            new XElement("mac", new XAttribute("address", port.MacAddress)),
            new XElement("source", HostdevXml.Address(port.PciSlot, new XAttribute("type", "pci"))),
            vlan,
            bandwidth);

    /// <summary>07 LV-9: macvtap on the VF's netdev, with the virtio model and the vhost driver.</summary>
    private static XElement Macvtap(BoundPort port, IReadOnlyDictionary<string, string> flavorExtraSpecs) =>
        new("interface",
            new XAttribute("type", "direct"),
            new XElement("mac", new XAttribute("address", port.MacAddress)),
            new XElement("model", new XAttribute("type", "virtio")),
            new XElement("driver", new XAttribute("name", "vhost")),
            new XElement("source",
                new XAttribute("dev", port.Netdev ?? throw new ArgumentException(
                    $"macvtap port {port.MacAddress} on {port.PciSlot} needs the VF's netdev name.", nameof(port))),
                new XAttribute("mode", "passthrough")),
            Vlan(port.Vlan),
            Bandwidth(flavorExtraSpecs));

    /// <summary>07 LV-6: only a truthy VLAN, as Python reads it: the integer 0 and "" are not, the string "0" is.</summary>
    private static XElement? Vlan(JsonNode? vlan)
    {
        var id = vlan is JsonValue value ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number => value.GetValue<decimal>() is var number && number != 0
                ? number.ToString(CultureInfo.InvariantCulture)
                : null,
            _ => null,
        } : null;
        return id is null ? null : new XElement("vlan", new XElement("tag", new XAttribute("id", id)));
    }

    /// <summary>
    /// 07 LV-6: <c>quota:vif_{inbound,outbound}_{average,peak,burst}</c> (Nova reads the first two <c>:</c>-parts of
    /// any <c>quota:</c> key), emitted when an average is non-empty; each direction with an average gets its element.
    /// </summary>
    private static XElement? Bandwidth(IReadOnlyDictionary<string, string> flavorExtraSpecs)
    {
        var quota = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in flavorExtraSpecs)
        {
            var scope = key.Split(':');
            if (scope.Length > 1 && scope[0] == QuotaScope && scope[1].StartsWith("vif_", StringComparison.Ordinal))
            {
                quota[scope[1]] = value;
            }
        }

        XElement? Direction(string name)
        {
            if (!quota.TryGetValue($"vif_{name}_average", out var average))
            {
                return null;
            }

            return new XElement(name,
                new XAttribute("average", average),
                quota.TryGetValue($"vif_{name}_peak", out var peak) ? new XAttribute("peak", peak) : null,
                quota.TryGetValue($"vif_{name}_burst", out var burst) ? new XAttribute("burst", burst) : null);
        }

        return quota.GetValueOrDefault("vif_inbound_average") is { Length: > 0 }
            || quota.GetValueOrDefault("vif_outbound_average") is { Length: > 0 }
            ? new XElement("bandwidth", Direction("inbound"), Direction("outbound"))
            : null;
    }
}
