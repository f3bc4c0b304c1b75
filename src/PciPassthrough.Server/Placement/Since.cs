namespace PciPassthrough.Server.Placement;

/// <summary>PA-13: a route newer than the requested microversion does not exist for that client (404). Checked by
/// <see cref="PlacementMiddleware"/> before the handler runs (metadata, not an endpoint filter: a filter costs every
/// request of the route its invocation context).</summary>
public static class Since
{
    public sealed record MinimumVersion(int Minor);

    public static TBuilder MinVersion<TBuilder>(this TBuilder builder, int minor) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new MinimumVersion(minor));
}
