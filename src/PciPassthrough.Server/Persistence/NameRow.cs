namespace PciPassthrough.Server.Persistence;

/// <summary>A custom resource class or custom trait (standard ones come from Core's lists).</summary>
public sealed class NameRow
{
    public required string Name { get; set; }
}
