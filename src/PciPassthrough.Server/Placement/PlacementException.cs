namespace PciPassthrough.Server.Placement;

/// <summary>An answer other than success, rendered as Placement's error body (PA-15). <see cref="Code"/> is one
/// of <see cref="ErrorCodes"/>.</summary>
public sealed class PlacementException(int status, string detail, string code = ErrorCodes.Undefined)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    /// <summary>The class an allocation write named that does not exist, when that is the failure: Placement words
    /// it differently per API (see <see cref="NoSuchResourceClass"/>).</summary>
    public string? UnknownResourceClass { get; private init; }

    public static PlacementException BadRequest(string detail, string code = ErrorCodes.Undefined) =>
        new(StatusCodes.Status400BadRequest, detail, code);

    public static PlacementException NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);

    public static PlacementException Conflict(string detail, string code = ErrorCodes.Undefined) =>
        new(StatusCodes.Status409Conflict, detail, code);

    /// <summary>PA-34: an allocation names an unknown class; the API that took the request rewords it with
    /// <see cref="UnknownResourceClass"/>.</summary>
    public static PlacementException NoSuchResourceClass(string name) =>
        new(StatusCodes.Status400BadRequest, $"No such resource class {name}.") { UnknownResourceClass = name };

    /// <summary>PA-16: clients match "resource provider generation conflict".</summary>
    public static PlacementException ProviderGenerationConflict(string uuid, string? generations = null) => Conflict(
        $"resource provider generation conflict: Resource provider's generation already changed. Please update the " +
        $"generation and try again. (resource provider {uuid}{generations})", ErrorCodes.ConcurrentUpdate);
}
