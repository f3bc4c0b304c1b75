namespace PciPassthrough.Server.Persistence;

/// <summary>A resource provider. <see cref="Generation"/> is the optimistic-concurrency token every write that
/// depends on the provider's state bumps (PA-51).</summary>
public sealed class ProviderRow
{
    public required string Uuid { get; set; }
    public required string Name { get; set; }
    public int Generation { get; set; }
    public string? ParentUuid { get; set; }
    public required string RootUuid { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Placement's integer id: assigned by the database in creation order, which lists follow.</summary>
    public long CreationOrder { get; set; }
}
