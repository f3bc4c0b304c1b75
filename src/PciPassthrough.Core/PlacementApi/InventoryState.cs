namespace PciPassthrough.Core.PlacementApi;

/// <summary>One inventory of a provider with what is already allocated from it.</summary>
public sealed record InventoryState(
    int Total, int Reserved, int MinUnit, int MaxUnit, int StepSize, double AllocationRatio, long Used)
{
    /// <summary>PA-22: <c>int((total − reserved) × allocation_ratio)</c>, truncated.</summary>
    public long Capacity { get; } = (long)((Total - (long)Reserved) * AllocationRatio);

    /// <summary>PA-42: the amount is a valid unit count and fits beside the existing usage.</summary>
    public bool Fits(long amount) =>
        amount >= MinUnit && amount <= MaxUnit && amount % StepSize == 0 && Used + amount <= Capacity;

    /// <summary>PA-46: a merged amount (several groups on one provider) still fits capacity and max_unit.</summary>
    public bool FitsMerged(long amount) => amount <= MaxUnit && Used + amount <= Capacity;
}
