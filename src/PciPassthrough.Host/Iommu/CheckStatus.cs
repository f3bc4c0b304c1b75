namespace PciPassthrough.Host.Iommu;

/// <summary>The verdict of one readiness check, in increasing severity.</summary>
public enum CheckStatus
{
    Pass,
    Warn,
    Fail,
}
