using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// Why a host's pools cannot take a set of requests (beyond Nova, which only logs it): the first request that could
/// not be met, applied in order after the earlier ones, and where in the pipeline it ran short.
/// </summary>
/// <param name="RequestIndex">The index of the request in the set.</param>
/// <param name="Request">The request.</param>
/// <param name="Outcome">The step it failed at, how many free devices matched it and how many were left.</param>
public sealed record PciShortfall(int RequestIndex, PciRequest Request, PoolFilterOutcome Outcome)
{
    public override string ToString() =>
        $"request #{RequestIndex} needs {Request.Count}; {Outcome.Matching} free device(s) match it, {Outcome.Left} left " +
        $"after step {Outcome.FailedAt}";
}
