namespace PciPassthrough.Server.Placement;

/// <summary>PA-13: a route newer than the requested microversion does not exist for that client (404).</summary>
public static class Since
{
    public static TBuilder MinVersion<TBuilder>(this TBuilder builder, int minor) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) => context.HttpContext.Version().AtLeast(minor)
            ? await next(context)
            : throw PlacementException.NotFound("The resource could not be found."));
}
