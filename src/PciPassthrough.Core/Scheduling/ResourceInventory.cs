namespace PciPassthrough.Core.Scheduling;

/// <summary>One resource class of a compute node's Placement inventory (SIM-45).</summary>
public sealed record ResourceInventory(string ResourceClass, long Total, long Reserved, double AllocationRatio, long MaxUnit)
{
    /// <summary>What Placement lets consumers use: (total − reserved) × ratio.</summary>
    public double Capacity => (Total - Reserved) * AllocationRatio;
}
