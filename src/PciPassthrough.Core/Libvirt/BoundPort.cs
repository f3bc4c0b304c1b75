using System.Text.Json.Nodes;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Libvirt;

/// <summary>An SR-IOV port bound to the compute, as its binding describes it (07 §2).</summary>
public sealed record BoundPort
{
    public required VnicType VnicType { get; init; }

    public required string MacAddress { get; init; }

    /// <summary>The binding profile's <c>pci_slot</c>: the VF, or the PF of a <c>direct-physical</c> port.</summary>
    public required PciAddress PciSlot { get; init; }

    /// <summary>The binding's <c>vlan</c> detail as written: rendered only when truthy (LV-6).</summary>
    public JsonNode? Vlan { get; init; }

    /// <summary>The VF's network interface: the source of a <c>macvtap</c> port (LV-9).</summary>
    public string? Netdev { get; init; }

    /// <summary>The binding profile's <c>trusted</c> as written; never rendered: the host applies it through the PF
    /// (LV-10, <see cref="VfTrust"/>).</summary>
    public JsonNode? Trusted { get; init; }

    /// <summary>Plugged through an offload backend (os-vif host device): no VLAN, no bandwidth (LV-8).</summary>
    public bool OffloadBackend { get; init; }
}
