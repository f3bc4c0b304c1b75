using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>
/// One host's answer to one boot (§4.4 HOST_EVAL). Check verdicts are null when the check did not run;
/// <see cref="Rejections"/> says why the host does not fit (the <c>explain</c> extension).
/// </summary>
public sealed record HostEvaluation
{
    public required string Host { get; init; }
    public bool Fits { get; init; }
    public string? RejectedBy { get; init; }
    public CapacityVerdict? PlacementCheck { get; init; }
    public bool? PciPassthroughFilterPassed { get; init; }
    public bool? NumaTopologyFilterPassed { get; init; }
    public ClaimReport? Claim { get; init; }
    public IReadOnlyList<FittedCellReport>? NumaCells { get; init; }
    public IReadOnlyList<FittedCellReport>? SchedulerNumaCells { get; init; }
    public IReadOnlyList<PickReport>? PciDevices { get; init; }
    public IReadOnlyList<Rejection> Rejections { get; init; } = [];
}
