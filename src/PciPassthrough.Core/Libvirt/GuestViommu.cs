using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Libvirt;

/// <summary>The <c>&lt;iommu&gt;</c> a guest gets (07 LV-17).</summary>
/// <param name="Model">The concrete model (never <see cref="ViommuModel.Auto"/>, LV-16).</param>
/// <param name="ExtendedInterruptMode"><c>eim="on"</c>: only with a q35 machine type.</param>
public sealed record GuestViommu(ViommuModel Model, bool ExtendedInterruptMode);
