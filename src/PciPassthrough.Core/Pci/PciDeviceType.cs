namespace PciPassthrough.Core.Pci;

/// <summary>How libvirt classifies a PCI function for Nova (<c>dev_type</c>).</summary>
public enum PciDeviceType
{
    /// <summary><c>type-PCI</c>: a plain function without SR-IOV.</summary>
    Pci,

    /// <summary><c>type-PF</c>: an SR-IOV physical function.</summary>
    PhysicalFunction,

    /// <summary><c>type-VF</c>: an SR-IOV virtual function; has a parent PF.</summary>
    VirtualFunction,

    /// <summary><c>vdpa</c>: a VF exposed as a vDPA device; has a parent PF.</summary>
    Vdpa,
}

public static class PciDeviceTypes
{
    public const string Pci = "type-PCI", PhysicalFunction = "type-PF", VirtualFunction = "type-VF", Vdpa = "vdpa";

    /// <summary>The words Nova uses, in the order operators usually meet them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Pci, PhysicalFunction, VirtualFunction, Vdpa];

    public static string ToNovaName(this PciDeviceType type) => type switch
    {
        PciDeviceType.Pci => Pci,
        PciDeviceType.PhysicalFunction => PhysicalFunction,
        PciDeviceType.VirtualFunction => VirtualFunction,
        PciDeviceType.Vdpa => Vdpa,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Parses Nova's word exactly (case-sensitive, as Nova compares it).</summary>
    public static bool TryParse(string? text, out PciDeviceType type)
    {
        (var ok, type) = text switch
        {
            Pci => (true, PciDeviceType.Pci),
            PhysicalFunction => (true, PciDeviceType.PhysicalFunction),
            VirtualFunction => (true, PciDeviceType.VirtualFunction),
            Vdpa => (true, PciDeviceType.Vdpa),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>VFs and vDPA devices are children of a PF.</summary>
    public static bool IsChild(this PciDeviceType type) =>
        type is PciDeviceType.VirtualFunction or PciDeviceType.Vdpa;
}
