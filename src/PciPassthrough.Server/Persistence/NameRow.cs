namespace PciPassthrough.Server.Persistence;

/// <summary>A custom resource class or custom trait (standard ones come from Core's lists).</summary>
public sealed class NameRow
{
    public required string Name { get; set; }

    /// <summary>Placement's integer id: assigned by the database in creation order, which lists follow.</summary>
    public long CreationOrder { get; set; }
}
