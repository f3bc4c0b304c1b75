namespace PciPassthrough.Testing.Sysfs;

/// <summary>One PCI function of a <see cref="FakeSysfsBuilder"/> tree, as plain values.</summary>
public sealed record FakePciFunction
{
    /// <summary>The sysfs name, kept as given (an out-of-range address such as <c>10000:00:02.0</c> is allowed).</summary>
    public required string Address { get; init; }

    public string VendorId { get; init; } = "8086";
    public string ProductId { get; init; } = "1572";

    /// <summary>The <c>class</c> file's text, e.g. <c>0x020000</c> (Ethernet).</summary>
    public string ClassCode { get; init; } = PciClasses.Ethernet;

    /// <summary>The <c>numa_node</c> file: a node, or null to write <c>-1</c> (the platform does not say).</summary>
    public int? NumaNode { get; init; }

    public string? Driver { get; init; }

    /// <summary>An explicit IOMMU group (to share one); otherwise the builder gives each function its own.</summary>
    public int? IommuGroup { get; init; }

    public string? Netdev { get; init; }
    public string? MacAddress { get; init; }

    /// <summary>For a PF: <c>sriov_totalvfs</c>; 0 writes no SR-IOV files at all.</summary>
    public int TotalVfs { get; init; }

    /// <summary>For a PF: the <c>sriov_vf_device</c> file's text (bare hex, as the kernel writes it).</summary>
    public string? VfProductId { get; init; }

    /// <summary>For a VF: its PF's address (the <c>physfn</c> link) and its index there (<c>virtfn&lt;n&gt;</c>).</summary>
    public string? ParentAddress { get; init; }

    public int VfIndex { get; init; }

    /// <summary>A <c>vpd</c> file's bytes (see <see cref="VpdImage"/>), or null for none.</summary>
    public IReadOnlyList<byte>? Vpd { get; init; }

    /// <summary>Whether the function carries a vDPA device (a <c>vdpa0</c> entry).</summary>
    public bool HasVdpa { get; init; }
}
