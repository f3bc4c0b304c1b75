namespace PciPassthrough.Server.Persistence;

/// <summary>An amount of one class a consumer holds on one provider.</summary>
public sealed class AllocationRow
{
    public long Id { get; set; }
    public required string ConsumerUuid { get; set; }
    public required string ProviderUuid { get; set; }
    public required string ResourceClass { get; set; }
    public int Used { get; set; }
}
