namespace PciPassthrough.Host.Iommu;

/// <summary>One line of <c>pcictl host check</c>.</summary>
/// <param name="Check">What was checked (e.g. <c>vfio-pci</c>, <c>IOMMU group</c>).</param>
/// <param name="Subject">The device it concerns, or null for the host.</param>
/// <param name="Status">Pass, warn or fail.</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">What the operator should do; null when nothing.</param>
public sealed record ReadinessCheck(string Check, string? Subject, CheckStatus Status, string Detail, string? Fix = null);
