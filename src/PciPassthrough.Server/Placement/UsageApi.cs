using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>/resource_providers/{uuid}/usages</c> and <c>/usages</c> (08 §10, PA-39, PA-40).</summary>
public static partial class UsageApi
{
    public static void Map(RouteGroupBuilder placement)
    {
        placement.MapGet("/resource_providers/{uuid}/usages", ProviderUsagesAsync);
        placement.MapGet("/usages", ProjectUsagesAsync).MinVersion(9);
    }

    /// <summary>PA-39: every inventoried class, 0 when unused.</summary>
    private static async Task<IResult> ProviderUsagesAsync(PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var classes = await db.Inventories.Where(i => i.ProviderUuid == uuid).Select(i => i.ResourceClass).ToListAsync(cancellationToken);
        var usages = await db.UsagesAsync(uuid, cancellationToken);
        return PlacementHttp.Json(new JsonObject
        {
            ["resource_provider_generation"] = provider.Generation,
            ["usages"] = new JsonObject(classes.Order(StringComparer.Ordinal)
                .Select(c => KeyValuePair.Create(c, (JsonNode?)usages.GetValueOrDefault(c)))),
        });
    }

    /// <summary>PA-40: per project (and user); from 1.38 grouped by consumer type with a consumer count.</summary>
    private static async Task<IResult> ProjectUsagesAsync(HttpContext http, PlacementDb db, CancellationToken cancellationToken)
    {
        var version = http.Version();
        var query = http.Request.Query;
        // the schema lists "required" before "additionalProperties"
        var projectId = QueryParser.Last(query, "project_id")
            ?? throw QueryParser.SchemaError("'project_id' is a required property", "required", "project_id");
        QueryParser.CheckKeys(query, key => key is "project_id" or "user_id" || (key == "consumer_type" && version.AtLeast(38)));
        CheckIdLength(projectId, "project_id");
        var consumers = db.Consumers.AsNoTracking().Where(c => c.ProjectId == projectId);
        if (QueryParser.Last(query, "user_id") is { } userId)
        {
            CheckIdLength(userId, "user_id");
            consumers = consumers.Where(c => c.UserId == userId);
        }

        var rows = await (from consumer in consumers
                          join allocation in db.Allocations.AsNoTracking() on consumer.Uuid equals allocation.ConsumerUuid
                          select new { consumer.Uuid, consumer.ConsumerType, allocation.ResourceClass, allocation.Used })
            .ToListAsync(cancellationToken);
        if (!version.AtLeast(38))
        {
            return PlacementHttp.Json(new JsonObject { ["usages"] = Sum(rows.Select(r => (r.ResourceClass, r.Used))) });
        }

        var wantedType = QueryParser.Last(query, "consumer_type");
        if (wantedType is not null && !ConsumerTypeQueryPattern().IsMatch(wantedType))
        {
            throw QueryParser.SchemaError($"'{wantedType}' does not match '{ConsumerTypeQueryPattern()}'", "pattern", "consumer_type");
        }

        var groups = rows.GroupBy(r => wantedType == "all" ? "all" : r.ConsumerType ?? AllocationApi.UnknownConsumerType)
            .Where(g => wantedType is null or "all" || g.Key == wantedType);
        return PlacementHttp.Json(new JsonObject
        {
            ["usages"] = new JsonObject(groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
            {
                var usages = Sum(g.Select(r => (r.ResourceClass, r.Used)));
                usages["consumer_count"] = g.Select(r => r.Uuid).Distinct().Count();
                return KeyValuePair.Create(g.Key, (JsonNode?)usages);
            })),
        });
    }

    /// <summary>Placement's schema for the <c>consumer_type</c> query key (<c>^all</c> is unanchored there too).</summary>
    [GeneratedRegex("^[A-Z0-9_]+$|^all|^unknown$")]
    private static partial Regex ConsumerTypeQueryPattern();

    private static void CheckIdLength(string id, string key)
    {
        if (id.Length is 0 or > 255)
        {
            throw QueryParser.SchemaError($"'{id}' is too {(id.Length == 0 ? "short" : "long")} (1 to 255 characters)",
                id.Length == 0 ? "minLength" : "maxLength", key);
        }
    }

    private static JsonObject Sum(IEnumerable<(string ResourceClass, int Used)> rows) =>
        new(rows.GroupBy(r => r.ResourceClass).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Sum(r => (long)r.Used))));
}
