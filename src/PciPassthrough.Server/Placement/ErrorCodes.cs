namespace PciPassthrough.Server.Placement;

/// <summary>The <c>code</c> values of Placement's error bodies (08 §3 table).</summary>
public static class ErrorCodes
{
    public const string Undefined = "placement.undefined_code";
    public const string ConcurrentUpdate = "placement.concurrent_update";
    public const string InventoryInUse = "placement.inventory.inuse";
    public const string DuplicateName = "placement.duplicate_name";
    public const string ProviderInUse = "placement.resource_provider.inuse";
    public const string CannotDeleteParent = "placement.resource_provider.cannot_delete_parent";
    public const string ProviderNotFound = "placement.resource_provider.not_found";
    public const string DuplicateKey = "placement.query.duplicate_key";
    public const string BadValue = "placement.query.bad_value";
    public const string MissingValue = "placement.query.missing_value";
}
