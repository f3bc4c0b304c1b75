using PciPassthrough.Core.PlacementApi;

namespace PciPassthrough.Server.Persistence;

/// <summary>One inventory record of a provider (PA-22 fields).</summary>
public sealed class InventoryRow
{
    public required string ProviderUuid { get; set; }
    public required string ResourceClass { get; set; }
    public int Total { get; set; }
    public int Reserved { get; set; }
    public int MinUnit { get; set; }
    public int MaxUnit { get; set; }
    public int StepSize { get; set; }
    public double AllocationRatio { get; set; }

    /// <summary>PA-22: <c>int((total − reserved) × allocation_ratio)</c>, truncated (saturated to 64 bits).</summary>
    public long Capacity => InventoryState.CapacityOf(Total, Reserved, AllocationRatio);
}
