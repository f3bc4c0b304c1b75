using System.Numerics;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// One resource class of a compute node's Placement inventory (SIM-45). Totals are sums over the host's cells, which
/// the reference adds without a bound.
/// </summary>
public sealed record ResourceInventory(string ResourceClass, BigInteger Total, long Reserved, double AllocationRatio, BigInteger MaxUnit)
{
    /// <summary>What Placement lets consumers use: (total − reserved) × ratio.</summary>
    public PythonNumber Capacity => PythonNumber.Product(Total - Reserved, AllocationRatio);
}
