using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>/allocations</c> and <c>/resource_providers/{uuid}/allocations</c> (08 §9, PA-33…38).</summary>
public static partial class AllocationApi
{
    /// <summary>PA-36: what an untyped consumer reports as its type.</summary>
    public const string UnknownConsumerType = "unknown";

    public static void Map(RouteGroupBuilder placement)
    {
        placement.MapGet("/allocations/{consumer}", ShowAsync);
        placement.MapPut("/allocations/{consumer}", PutAsync).RequiresJson();
        placement.MapDelete("/allocations/{consumer}", DeleteAsync);
        placement.MapPost("/allocations", PostAsync).MinVersion(13).RequiresJson();
        placement.MapGet("/resource_providers/{uuid}/allocations", ProviderAllocationsAsync);
    }

    private static JsonObject Resources(IEnumerable<AllocationRow> rows) =>
        new(rows.OrderBy(r => r.ResourceClass, StringComparer.Ordinal)
            .Select(r => KeyValuePair.Create(r.ResourceClass, (JsonNode?)r.Used)));

    /// <summary>PA-37: an unknown consumer is 200 <c>{"allocations":{}}</c>.</summary>
    private static async Task<IResult> ShowAsync(HttpContext http, PlacementDb db, string consumer, CancellationToken cancellationToken)
    {
        var version = http.Version();
        consumer = Body.NormalizeUuid(consumer) ?? consumer;
        // One statement, so one snapshot, as Placement reads them: with a writer of another replica deleting the consumer
        // between separate reads, its allocations were shown without its generation.
        var read = await (
                from a in db.Allocations.AsNoTracking()
                where a.ConsumerUuid == consumer
                join p in db.Providers.AsNoTracking() on a.ProviderUuid equals p.Uuid
                join c in db.Consumers.AsNoTracking() on a.ConsumerUuid equals c.Uuid into consumers
                from c in consumers.DefaultIfEmpty()
                select new { Allocation = a, ProviderGeneration = p.Generation, Consumer = c })
            .ToListAsync(cancellationToken);
        var body = new JsonObject
        {
            ["allocations"] = new JsonObject(read.GroupBy(r => r.Allocation.ProviderUuid).Select(g => KeyValuePair.Create(g.Key,
                (JsonNode?)new JsonObject { ["resources"] = Resources(g.Select(r => r.Allocation)), ["generation"] = g.First().ProviderGeneration }))),
        };
        if (read.FirstOrDefault()?.Consumer is { } row)
        {
            if (version.AtLeast(12))
            {
                body["project_id"] = row.ProjectId;
                body["user_id"] = row.UserId;
            }

            if (version.AtLeast(28))
            {
                body["consumer_generation"] = row.Generation;
            }

            if (version.AtLeast(38))
            {
                body["consumer_type"] = row.ConsumerType ?? UnknownConsumerType;
            }
        }

        return PlacementHttp.Json(body);
    }

    private static async Task<IResult> PutAsync(HttpContext http, PlacementDb db, string consumer, CancellationToken cancellationToken)
    {
        var uuid = Body.NormalizeUuid(consumer) ?? throw PlacementException.BadRequest($"Malformed consumer_uuid: {consumer}");
        var write = ConsumerWrite.Parse(uuid, await http.ReadJsonAsync(cancellationToken), http.Version(), allowEmpty: false);
        try
        {
            await AllocationWriter.WriteAsync(db, [write], cancellationToken);
        }
        catch (PlacementException e) when (e.UnknownResourceClass is { } name)
        {
            throw PlacementException.BadRequest($"Unable to allocate inventory for consumer {uuid}: No such resource class {name}.");
        }

        return Results.NoContent();
    }

    /// <summary>PA-33: several consumers, all or nothing.</summary>
    private static async Task<IResult> PostAsync(HttpContext http, PlacementDb db, CancellationToken cancellationToken)
    {
        var body = await http.ReadJsonAsync(cancellationToken);
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Body.Invalid($"{Body.Repr(body)} is not of type 'object'", "type");
        }

        if (!body.EnumerateObject().Any())
        {
            throw Body.Invalid("{} does not have enough properties: the body must map at least one consumer UUID to its allocations",
                "minProperties");
        }

        // the keys are checked before any consumer's body, as jsonschema reports the shallowest error
        if (body.EnumerateObject().Select(entry => entry.Name).FirstOrDefault(key => !ConsumerKeyPattern().IsMatch(key)) is { } badKey)
        {
            throw Body.Invalid($"'{badKey}' does not match any of the regexes: '^[0-9a-fA-F-]{{36}}$'", "additionalProperties");
        }

        var writes = body.EnumerateObject().Select(entry => ConsumerWrite.Parse(
            Body.NormalizeUuid(entry.Name) ?? throw PlacementException.BadRequest($"Malformed consumer_uuid: {entry.Name}"),
            entry.Value, http.Version(), allowEmpty: true)).ToList();
        try
        {
            await AllocationWriter.WriteAsync(db, writes, cancellationToken);
        }
        catch (PlacementException e) when (e.UnknownResourceClass is { } name)
        {
            throw PlacementException.BadRequest($"Unable to allocate inventory No such resource class {name}.");
        }

        return Results.NoContent();
    }

    /// <summary>PA-38: no generation check and no provider bump (Placement's behaviour; prefer PUT <c>{}</c>). Without
    /// provider locks, PostgreSQL may pick this delete as the victim of a deadlock on the usage rows with a claim
    /// (see <see cref="UsageRow"/>); it is then simply done again.</summary>
    private static async Task<IResult> DeleteAsync(PlacementDb db, string consumer, CancellationToken cancellationToken)
    {
        consumer = Body.NormalizeUuid(consumer) ?? consumer;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var deleted = await db.Allocations.Where(a => a.ConsumerUuid == consumer).ExecuteDeleteAsync(cancellationToken);
                if (deleted == 0)
                {
                    throw PlacementException.NotFound($"No allocations for consumer '{consumer}'");
                }

                await db.Consumers.Where(c => c.Uuid == consumer).ExecuteDeleteAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return Results.NoContent();
            }
            catch (Exception e) when (PostgresPlacementDb.ErrorOf(e)?.SqlState == PostgresErrorCodes.DeadlockDetected
                                      && attempt < AllocationWriter.ConflictRetries)
            {
            }
        }
    }

    private static async Task<IResult> ProviderAllocationsAsync(HttpContext http, PlacementDb db, string uuid,
        CancellationToken cancellationToken)
    {
        var provider = await db.Providers.FirstOrDefaultAsync(p => p.Uuid == uuid, cancellationToken)
            ?? throw PlacementException.NotFound($"Resource provider '{uuid}' not found: No resource provider with uuid {uuid} found");
        var rows = await db.Allocations.AsNoTracking().Where(a => a.ProviderUuid == uuid).ToListAsync(cancellationToken);
        var consumerUuids = rows.Select(r => r.ConsumerUuid).Distinct().ToList();
        var generations = await db.Consumers.AsNoTracking().Where(c => consumerUuids.Contains(c.Uuid))
            .ToDictionaryAsync(c => c.Uuid, c => c.Generation, cancellationToken);
        var withGeneration = http.Version().AtLeast(28);
        return PlacementHttp.Json(new JsonObject
        {
            ["resource_provider_generation"] = provider.Generation,
            ["allocations"] = new JsonObject(rows.GroupBy(r => r.ConsumerUuid).Select(g =>
            {
                var entry = new JsonObject { ["resources"] = Resources(g) };
                if (withGeneration)
                {
                    entry["consumer_generation"] = generations.GetValueOrDefault(g.Key);
                }

                return KeyValuePair.Create(g.Key, (JsonNode?)entry);
            })),
        });
    }

    /// <summary>The consumer keys of a <c>POST /allocations</c> body, as Placement's schema has them.</summary>
    [GeneratedRegex("^[0-9a-fA-F-]{36}$")]
    private static partial Regex ConsumerKeyPattern();
}
