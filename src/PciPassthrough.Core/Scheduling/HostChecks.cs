namespace PciPassthrough.Core.Scheduling;

/// <summary>The names of the checks a host goes through, as results and explanations report them (SIM-33, SIM-34).</summary>
public static class HostChecks
{
    public const string ComputeUnavailable = "compute_unavailable", Placement = "placement",
        PciPassthroughFilter = "PciPassthroughFilter", NumaTopologyFilter = "NUMATopologyFilter", Claim = "claim";
}
