using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Placement;

/// <summary>The Placement API's table of contents: one static class per resource, all under <see cref="Prefix"/>.</summary>
public static class PlacementEndpoints
{
    public const string Prefix = "/placement";

    public static void MapPlacement(this IEndpointRouteBuilder app)
    {
        var placement = app.MapGroup(Prefix);
        placement.MapGet("/", Versions);
        ResourceProviderApi.Map(placement);
        InventoryApi.Map(placement);
        ResourceClassApi.Map(placement);
        TraitApi.Map(placement);
        AggregateApi.Map(placement);
        AllocationApi.Map(placement);
        UsageApi.Map(placement);
        AllocationCandidateApi.Map(placement);
        ReshaperApi.Map(placement);
    }

    /// <summary>PA-9: version discovery, the one route without a token.</summary>
    private static IResult Versions() => PlacementHttp.Json(new JsonObject
    {
        ["versions"] = new JsonArray(new JsonObject
        {
            ["id"] = "v1.0",
            ["min_version"] = Microversion.Min.ToString(),
            ["max_version"] = Microversion.Max.ToString(),
            ["status"] = "CURRENT",
            ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = "" }),
        }),
    });
}
