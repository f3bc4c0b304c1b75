using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Controller;

/// <summary>The REST API's table of contents (described at <c>/openapi/v1.json</c>): one static class per resource under
/// <see cref="Prefix"/>, plus <c>/healthz</c>.</summary>
public static class ControllerEndpoints
{
    public const string Prefix = "/v1";

    public static void MapController(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", HealthAsync).WithTags("health").Produces<Health>().Produces<Health>(StatusCodes.Status503ServiceUnavailable);
        var v1 = app.MapGroup(Prefix);
        HostApi.Map(v1);
        FlavorApi.Map(v1);
        ImageApi.Map(v1);
        PortApi.Map(v1);
        ServerApi.Map(v1);
        CapacityApi.Map(v1);
    }

    public sealed record Health(string Status, string Database);

    /// <summary>Anyone may ask; 503 with the reason when the database does not answer.</summary>
    private static async Task<IResult> HealthAsync(ControllerDb db, CancellationToken cancellationToken)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return Results.Json(new Health("ok", "ok"));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return Results.Json(new Health("error", e.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
