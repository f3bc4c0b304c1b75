using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Devices;

/// <summary>
/// One PCI function as the hypervisor reports it (02 LC-1): what sysfs discovery or a scenario's
/// <c>pci_devices</c> entry yields, before any <c>device_spec</c> is applied.
/// </summary>
/// <remarks>
/// <see cref="Address"/> and <see cref="ParentAddress"/> are kept as text (lower-case): a hypervisor may report
/// addresses outside the supported ranges (e.g. a 32-bit domain), which matching skips (01 DS-35).
/// Ids are 4 lower-case hex digits.
/// </remarks>
public sealed record PciDeviceRecord
{
    public required string Address { get; init; }
    public required string VendorId { get; init; }
    public required string ProductId { get; init; }
    public required PciDeviceType DeviceType { get; init; }

    /// <summary>The PF's address, for VFs and vDPA devices only.</summary>
    public string? ParentAddress { get; init; }

    /// <summary>NUMA node, or null when the platform reports none (sysfs <c>-1</c> or missing).</summary>
    public Int128? NumaNode { get; init; }

    /// <summary>The device's own network interface name (answers <c>devname</c> specs).</summary>
    public string? Netdev { get; init; }

    /// <summary>The netdev name of the parent PF (a pool key, 04 PL-1).</summary>
    public string? ParentIfname { get; init; }

    /// <summary>For a PF: the product id its VFs have (sysfs <c>sriov_vf_device</c>).</summary>
    public string? VfProductId { get; init; }

    /// <summary>The VPD card serial number, used by <c>remote_managed</c> specs (01 DS-29).</summary>
    public string? CardSerialNumber { get; init; }

    /// <summary>
    /// Python's type name of a scenario's <c>capabilities</c> or <c>vpd</c> value that is no object (so has no
    /// <c>.get()</c>); null when the serial lookup works.
    /// </summary>
    public string? VpdLookupError { get; init; }

    /// <summary>
    /// What reading the serial from the capabilities as Nova stores them raises (a non-JSON text, or JSON that is no
    /// object); null when it works. Pooling reads it for every tracked device.
    /// </summary>
    public PciError? StoredCapabilitiesError { get; init; }

    /// <summary>
    /// Python's type name of a <c>vf_product_id</c> that is truthy but no string (Nova calls <c>.lower()</c> on it);
    /// null otherwise.
    /// </summary>
    public string? VfProductIdError { get; init; }

    /// <summary>Network capabilities as libvirt reports them (e.g. <c>rx</c>, <c>tx</c>, <c>sg</c>).</summary>
    public IReadOnlyList<string> NetworkCapabilities { get; init; } = [];

    /// <summary>Bound kernel driver (e.g. <c>vfio-pci</c>), if any; informational.</summary>
    public string? Driver { get; init; }

    /// <summary>IOMMU group number, if the host has IOMMU groups; informational.</summary>
    public int? IommuGroup { get; init; }

    /// <summary>PCI class code (e.g. <c>0x020000</c>); informational.</summary>
    public string? ClassCode { get; init; }
}
