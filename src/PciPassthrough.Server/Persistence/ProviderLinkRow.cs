namespace PciPassthrough.Server.Persistence;

/// <summary>A provider's trait or aggregate: <see cref="Value"/> is the trait name or the aggregate UUID.</summary>
public sealed class ProviderLinkRow
{
    public required string ProviderUuid { get; set; }
    public required string Value { get; set; }
}
