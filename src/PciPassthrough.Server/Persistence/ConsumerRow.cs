namespace PciPassthrough.Server.Persistence;

/// <summary>A consumer: created by its first allocation write, deleted when left without allocations.</summary>
public sealed class ConsumerRow
{
    public required string Uuid { get; set; }
    public required string ProjectId { get; set; }
    public required string UserId { get; set; }
    public string? ConsumerType { get; set; }
    public int Generation { get; set; }
}
