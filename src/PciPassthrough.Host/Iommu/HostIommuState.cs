namespace PciPassthrough.Host.Iommu;

/// <summary>What the host says about DMA remapping, read by <see cref="HostIommuReader"/>.</summary>
/// <param name="KernelCommandLine">The boot command line, or null when it cannot be read.</param>
/// <param name="IommuUnits">The entries of <c>sys/class/iommu</c> (e.g. <c>dmar0</c>, <c>ivhd0</c>).</param>
/// <param name="Groups">Each IOMMU group's member functions (sysfs names), by group number.</param>
/// <param name="Vfio">Whether <c>vfio-pci</c> is loaded, installed or missing.</param>
public sealed record HostIommuState(
    string? KernelCommandLine,
    IReadOnlyList<string> IommuUnits,
    IReadOnlyDictionary<int, IReadOnlyList<string>> Groups,
    VfioAvailability Vfio);
