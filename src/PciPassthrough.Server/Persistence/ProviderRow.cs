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
    /// <summary>When a write last changed the row; null while a child provider is as created (Placement's
    /// <c>updated_at</c>: a root is updated once at creation, to point at itself as its root).</summary>
    public DateTime? UpdatedAt { get; set; }

    /// <summary>Placement's integer id: assigned by the database in creation order, which lists follow.</summary>
    public long CreationOrder { get; set; }
}
