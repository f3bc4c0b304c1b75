using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>/resource_providers/{uuid}/aggregates</c> (08 §8, PA-32), from 1.1.</summary>
public static class AggregateApi
{
    public static void Map(RouteGroupBuilder placement)
    {
        placement.MapGet("/resource_providers/{uuid}/aggregates", ShowAsync).MinVersion(1);
        placement.MapPut("/resource_providers/{uuid}/aggregates", PutAsync).MinVersion(1).RequiresJson();
    }

    private static JsonObject Render(ProviderRow provider, IEnumerable<string> aggregates, Microversion version)
    {
        var body = new JsonObject
        {
            ["aggregates"] = new JsonArray([.. aggregates.Select(a => (JsonNode)a)]),
        };
        if (version.AtLeast(19))
        {
            body["resource_provider_generation"] = provider.Generation;
        }

        return body;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var aggregates = await db.ProviderAggregates.Where(a => a.ProviderUuid == uuid).Select(a => a.Value)
            .ToListAsync(cancellationToken);
        return PlacementHttp.Json(Render(provider, aggregates.Order(StringComparer.Ordinal), http.Version()));
    }

    /// <summary>1.1–1.18 a bare list, never bumping; ≥1.19 with the generation, always bumping.</summary>
    private static async Task<IResult> PutAsync(HttpContext http, PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var version = http.Version();
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var body = await http.ReadJsonAsync(cancellationToken);
        JsonElement list;
        var schemaPath = "";
        if (version.AtLeast(19))
        {
            Body.Object(body, "aggregates", ["aggregates", "resource_provider_generation"], "aggregates",
                "resource_provider_generation");
            list = body.GetProperty("aggregates");
            schemaPath = "['properties']['aggregates']";
        }
        else
        {
            list = body;
        }

        // as Placement: the whole body's schema (jsonschema's words) before the generation
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Body.Invalid($"{Body.Repr(list)} is not of type 'array'", "type", schemaPath);
        }

        // jsonschema finds duplicates (as given) on the list before it looks at any item's format
        var given = list.EnumerateArray().Select(item => item.GetRawText()).ToList();
        if (given.Distinct(StringComparer.Ordinal).Count() != given.Count)
        {
            throw Body.Invalid($"{Body.Repr(list)} has non-unique elements", "uniqueItems", schemaPath);
        }

        var wanted = new List<string>();
        foreach (var item in list.EnumerateArray())
        {
            wanted.Add((item.ValueKind == JsonValueKind.String ? Body.NormalizeUuid(item.GetString()!) : null)
                ?? throw Body.Invalid($"{Body.Repr(item)} is not a 'uuid'", "format", $"{schemaPath}['items']"));
        }

        if (wanted.Distinct().Count() != wanted.Count)
        {
            throw Body.Invalid($"{Body.Repr(list)} has non-unique elements", "uniqueItems", schemaPath);
        }

        if (version.AtLeast(19))
        {
            provider.CheckGeneration(Body.Generation(body, "resource_provider_generation"));
        }

        var current = await db.ProviderAggregates.Where(a => a.ProviderUuid == uuid).ToListAsync(cancellationToken);
        db.ProviderAggregates.RemoveRange(current.Where(c => !wanted.Contains(c.Value)));
        db.ProviderAggregates.AddRange(wanted.Where(w => current.All(c => c.Value != w))
            .Select(w => new ProviderLinkRow { ProviderUuid = uuid, Value = w }));
        if (version.AtLeast(19))
        {
            provider.Generation++;
            provider.UpdatedAt = DateTime.UtcNow;
        }

        await db.SaveProviderWriteAsync(provider, cancellationToken);
        return PlacementHttp.Json(Render(provider, wanted, version));
    }
}
