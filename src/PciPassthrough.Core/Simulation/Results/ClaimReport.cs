using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>The compute claim's outcome (SIM-36).</summary>
public sealed record ClaimReport(PciError? Error)
{
    public bool Ok => Error is null;
}
