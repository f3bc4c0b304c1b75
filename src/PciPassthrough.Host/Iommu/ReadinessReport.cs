namespace PciPassthrough.Host.Iommu;

/// <summary>All readiness checks of a host, host-wide ones first.</summary>
public sealed record ReadinessReport(IReadOnlyList<ReadinessCheck> Checks)
{
    public CheckStatus Worst => Checks.Count == 0 ? CheckStatus.Pass : Checks.Max(c => c.Status);

    /// <summary>0 when everything passes, 1 with warnings, 2 with a failure.</summary>
    public int ExitCode => (int)Worst;
}
