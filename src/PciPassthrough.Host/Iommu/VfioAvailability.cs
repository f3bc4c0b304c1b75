namespace PciPassthrough.Host.Iommu;

/// <summary>Whether the <c>vfio-pci</c> driver can be used.</summary>
public enum VfioAvailability
{
    /// <summary>Neither loaded nor found among the kernel's modules.</summary>
    Missing,

    /// <summary>A module file exists but the driver is not loaded.</summary>
    Installed,

    /// <summary>Loaded (or built in): <c>sys/module/vfio_pci</c> or <c>sys/bus/pci/drivers/vfio-pci</c> exists.</summary>
    Loaded,
}
