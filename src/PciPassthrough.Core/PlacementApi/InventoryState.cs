using System.Numerics;

namespace PciPassthrough.Core.PlacementApi;

/// <summary>One inventory of a provider with what is already allocated from it.</summary>
public sealed record InventoryState(
    int Total, int Reserved, int MinUnit, int MaxUnit, int StepSize, double AllocationRatio, long Used)
{
    /// <summary>PA-22: <c>int((total − reserved) × allocation_ratio)</c>, truncated; see <see cref="CapacityOf"/>.</summary>
    public long Capacity { get; } = CapacityOf(Total, Reserved, AllocationRatio);

    /// <summary>The capacity as Placement's Python computes it (the product is a double, its integer part exact),
    /// which passes 64 bits when the ratio nears Placement's maximum (3.4e38): what provider summaries show.</summary>
    public BigInteger ExactCapacity => new(Math.Truncate((Total - (long)Reserved) * AllocationRatio));

    /// <summary>PA-22's capacity, saturated to 64 bits: beyond them it compares the same against any usage (a sum of
    /// 32-bit amounts), and a negative one stays negative.</summary>
    public static long CapacityOf(int total, int reserved, double allocationRatio)
    {
        var capacity = (total - (long)reserved) * allocationRatio;
        return capacity >= long.MaxValue ? long.MaxValue : capacity <= long.MinValue ? long.MinValue : (long)capacity;
    }

    /// <summary>PA-42: the amount is a valid unit count and fits beside the existing usage.</summary>
    public bool Fits(long amount) =>
        amount >= MinUnit && amount <= MaxUnit && amount % StepSize == 0 && Used + amount <= Capacity;

    /// <summary>PA-46: a merged amount (several groups on one provider) still fits capacity and max_unit.</summary>
    public bool FitsMerged(long amount) => amount <= MaxUnit && Used + amount <= Capacity;
}
