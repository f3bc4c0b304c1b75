namespace PciPassthrough.Core.Requests;

/// <summary>A Neutron port's <c>binding:vnic_type</c>.</summary>
public enum VnicType
{
    Normal,
    Direct,
    Macvtap,
    Baremetal,
    DirectPhysical,
    VirtioForwarder,
    SmartNic,
    Vdpa,
    AcceleratorDirect,
    AcceleratorDirectPhysical,
    RemoteManaged,
}

public static class VnicTypes
{
    private static readonly (VnicType Type, string Name)[] _names =
    [
        (VnicType.Normal, "normal"), (VnicType.Direct, "direct"), (VnicType.Macvtap, "macvtap"),
        (VnicType.Baremetal, "baremetal"), (VnicType.DirectPhysical, "direct-physical"),
        (VnicType.VirtioForwarder, "virtio-forwarder"), (VnicType.SmartNic, "smart-nic"), (VnicType.Vdpa, "vdpa"),
        (VnicType.AcceleratorDirect, "accelerator-direct"),
        (VnicType.AcceleratorDirectPhysical, "accelerator-direct-physical"), (VnicType.RemoteManaged, "remote-managed"),
    ];

    public static string ToNeutronName(this VnicType type) => _names.First(n => n.Type == type).Name;

    /// <summary>Parses Neutron's word exactly.</summary>
    public static bool TryParse(string? text, out VnicType type)
    {
        foreach (var (candidate, name) in _names)
        {
            if (name == text)
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>The Cyborg-managed types: their devices come from the port's device profile (03 RQ-25: no PCI request).</summary>
    public static bool IsAccelerator(this VnicType type) => type is VnicType.AcceleratorDirect or VnicType.AcceleratorDirectPhysical;

    /// <summary>03 RQ-25: the SR-IOV types, whose ports each get one PCI request.</summary>
    public static bool NeedsPciDevice(this VnicType type) => type is VnicType.Direct or VnicType.Macvtap
        or VnicType.DirectPhysical or VnicType.VirtioForwarder or VnicType.Vdpa or VnicType.RemoteManaged;
}
