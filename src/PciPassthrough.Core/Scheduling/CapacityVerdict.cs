namespace PciPassthrough.Core.Scheduling;

/// <summary>The outcome of the Placement capacity check (SIM-46): every shortfall, and what is free per requested class.</summary>
public sealed record CapacityVerdict(IReadOnlyList<string> Reasons, IReadOnlyDictionary<string, PythonNumber> Free)
{
    public bool Ok => Reasons.Count == 0;
}
