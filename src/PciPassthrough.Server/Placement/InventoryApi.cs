using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>/resource_providers/{uuid}/inventories</c> (08 §5, PA-22…26). Every successful write bumps the
/// provider generation by exactly one (PA-26).</summary>
public static class InventoryApi
{
    internal static readonly string[] Fields = ["total", "reserved", "min_unit", "max_unit", "step_size", "allocation_ratio"];

    public static void Map(RouteGroupBuilder placement)
    {
        const string All = "/resource_providers/{uuid}/inventories", One = All + "/{resourceClass}";
        placement.MapGet(All, ListAsync);
        placement.MapPost(All, CreateAsync);
        placement.MapPut(All, ReplaceAllAsync);
        placement.MapDelete(All, DeleteAllAsync).AddEndpointFilter(async (context, next) =>
            context.HttpContext.Version().AtLeast(5)
                ? await next(context)
                : throw new PlacementException(StatusCodes.Status405MethodNotAllowed,
                    "The method specified is not allowed for this resource (DELETE needs microversion 1.5)."));
        placement.MapGet(One, ShowAsync);
        placement.MapPut(One, UpdateAsync);
        placement.MapDelete(One, DeleteAsync);
    }

    private static JsonObject Render(InventoryRow inventory) => new()
    {
        ["total"] = inventory.Total,
        ["reserved"] = inventory.Reserved,
        ["min_unit"] = inventory.MinUnit,
        ["max_unit"] = inventory.MaxUnit,
        ["step_size"] = inventory.StepSize,
        ["allocation_ratio"] = inventory.AllocationRatio,
    };

    private static JsonObject RenderAll(ProviderRow provider, IEnumerable<InventoryRow> inventories) => new()
    {
        ["resource_provider_generation"] = provider.Generation,
        ["inventories"] = new JsonObject(inventories.OrderBy(i => i.ResourceClass, StringComparer.Ordinal)
            .Select(i => KeyValuePair.Create(i.ResourceClass, (JsonNode?)Render(i)))),
    };

    private static JsonObject RenderOne(ProviderRow provider, InventoryRow inventory)
    {
        var body = Render(inventory);
        body["resource_provider_generation"] = provider.Generation;
        return body;
    }

    private static async Task<IResult> ListAsync(PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var inventories = await db.Inventories.Where(i => i.ProviderUuid == uuid).ToListAsync(cancellationToken);
        return PlacementHttp.Json(RenderAll(provider, inventories));
    }

    private static async Task<IResult> ShowAsync(PlacementDb db, string uuid, string resourceClass, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var inventory = await db.Inventories.FirstOrDefaultAsync(
                i => i.ProviderUuid == uuid && i.ResourceClass == resourceClass, cancellationToken)
            ?? throw PlacementException.NotFound($"No inventory of class {resourceClass} for {uuid}");
        return PlacementHttp.Json(RenderOne(provider, inventory));
    }

    /// <summary>PA-23: no generation check; a class already present is a 409 <c>concurrent_update</c>.</summary>
    private static async Task<IResult> CreateAsync(HttpContext http, PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "inventory", [.. Fields, "resource_class"],
            "resource_class", "total");
        var resourceClass = Body.String(body, "resource_class");
        if (!Body.IsResourceClassName(resourceClass))
        {
            throw PlacementException.BadRequest(
                $"JSON does not validate: resource_class '{resourceClass}' does not match '^[A-Z0-9_]+$'");
        }

        await db.RequireResourceClassAsync(resourceClass, cancellationToken);
        var inventory = Parse(body, provider.Uuid, resourceClass, http.Version());
        if (await db.Inventories.AnyAsync(i => i.ProviderUuid == uuid && i.ResourceClass == resourceClass, cancellationToken))
        {
            throw PlacementException.Conflict(
                $"Update conflict: inventory for {resourceClass} already exists on resource provider {uuid}",
                ErrorCodes.ConcurrentUpdate);
        }

        db.Inventories.Add(inventory);
        Bump(provider);
        await db.SaveProviderWriteAsync(provider, cancellationToken);
        return PlacementHttp.Json(RenderOne(provider, inventory), StatusCodes.Status201Created,
            $"/resource_providers/{uuid}/inventories/{resourceClass}");
    }

    /// <summary>PA-24: replaces every inventory; dropping an allocated class is 409 <c>inventory.inuse</c>.</summary>
    private static async Task<IResult> ReplaceAllAsync(HttpContext http, PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "inventories",
            ["resource_provider_generation", "inventories"], "resource_provider_generation", "inventories");
        provider.CheckGeneration(Body.Int(body, "resource_provider_generation", 0));
        var inventoriesElement = body.GetProperty("inventories");
        Body.Object(inventoriesElement, "inventories", [.. inventoriesElement.EnumerateObject().Select(p => p.Name)]);
        var wanted = new List<InventoryRow>();
        foreach (var entry in inventoriesElement.EnumerateObject())
        {
            await db.RequireResourceClassAsync(entry.Name, cancellationToken);
            wanted.Add(Parse(Body.Object(entry.Value, $"inventory {entry.Name}", Fields, "total"), uuid, entry.Name, http.Version()));
        }

        await ReplaceAsync(db, provider, wanted, cancellationToken);
        return PlacementHttp.Json(RenderAll(provider, wanted));
    }

    private static async Task<IResult> DeleteAllAsync(PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        await ReplaceAsync(db, provider, [], cancellationToken);
        return Results.NoContent();
    }

    /// <summary>The one place inventories are replaced wholesale (PUT all, DELETE all).</summary>
    private static async Task ReplaceAsync(PlacementDb db, ProviderRow provider, List<InventoryRow> wanted, CancellationToken cancellationToken)
    {
        var current = await db.Inventories.Where(i => i.ProviderUuid == provider.Uuid).ToListAsync(cancellationToken);
        var usages = await db.UsagesAsync(provider.Uuid, cancellationToken);
        foreach (var removed in current.Where(c => wanted.All(w => w.ResourceClass != c.ResourceClass)))
        {
            if (usages.GetValueOrDefault(removed.ResourceClass) > 0)
            {
                throw InUse(removed.ResourceClass, provider.Uuid, ErrorCodes.InventoryInUse);
            }

            db.Inventories.Remove(removed);
        }

        foreach (var inventory in wanted)
        {
            if (current.FirstOrDefault(c => c.ResourceClass == inventory.ResourceClass) is { } existing)
            {
                db.Entry(existing).CurrentValues.SetValues(inventory);
            }
            else
            {
                db.Inventories.Add(inventory);
            }
        }

        Bump(provider);
        await db.SaveProviderWriteAsync(provider, cancellationToken);
    }

    /// <summary>PA-25: the record must exist and the generation must match.</summary>
    private static async Task<IResult> UpdateAsync(HttpContext http, PlacementDb db, string uuid, string resourceClass,
        CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "inventory",
            [.. Fields, "resource_provider_generation"], "resource_provider_generation", "total");
        provider.CheckGeneration(Body.Int(body, "resource_provider_generation", 0));
        await db.RequireResourceClassAsync(resourceClass, cancellationToken);
        var updated = Parse(body, uuid, resourceClass, http.Version());
        var existing = await db.Inventories.FirstOrDefaultAsync(
                i => i.ProviderUuid == uuid && i.ResourceClass == resourceClass, cancellationToken)
            ?? throw PlacementException.BadRequest(
                $"No inventory record with resource class for resource provider {uuid}: {resourceClass}");
        db.Entry(existing).CurrentValues.SetValues(updated);
        Bump(provider);
        await db.SaveProviderWriteAsync(provider, cancellationToken);
        return PlacementHttp.Json(RenderOne(provider, existing));
    }

    /// <summary>PA-25: Placement reports an allocated class as <c>concurrent_update</c> here (08 §15.6 quirk kept).</summary>
    private static async Task<IResult> DeleteAsync(PlacementDb db, string uuid, string resourceClass, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var existing = await db.Inventories.FirstOrDefaultAsync(
                i => i.ProviderUuid == uuid && i.ResourceClass == resourceClass, cancellationToken)
            ?? throw PlacementException.NotFound($"No inventory of class {resourceClass} found for delete");
        if (await db.Allocations.AnyAsync(a => a.ProviderUuid == uuid && a.ResourceClass == resourceClass, cancellationToken))
        {
            throw InUse(resourceClass, uuid, ErrorCodes.ConcurrentUpdate);
        }

        db.Inventories.Remove(existing);
        Bump(provider);
        await db.SaveProviderWriteAsync(provider, cancellationToken);
        return Results.NoContent();
    }

    internal static PlacementException InUse(string resourceClass, string uuid, string code) => PlacementException.Conflict(
        $"Inventory for '{resourceClass}' on resource provider '{uuid}' in use.", code);

    private static void Bump(ProviderRow provider)
    {
        provider.Generation++;
        provider.UpdatedAt = DateTime.UtcNow;
    }

    /// <summary>The 08 §5 field table with defaults, and PA-22's capacity check.</summary>
    internal static InventoryRow Parse(JsonElement body, string uuid, string resourceClass, Microversion version)
    {
        var ratio = 1.0;
        if (body.TryGetProperty("allocation_ratio", out var ratioElement))
        {
            if (ratioElement.ValueKind != JsonValueKind.Number || !ratioElement.TryGetDouble(out ratio) || ratio > 3.40282e38)
            {
                throw PlacementException.BadRequest(
                    $"JSON does not validate: 'allocation_ratio' must be a number up to 3.40282e38, got {ratioElement}");
            }
        }

        var inventory = new InventoryRow
        {
            ProviderUuid = uuid,
            ResourceClass = resourceClass,
            Total = Body.Int(body, "total", 1),
            Reserved = Body.IntOr(body, "reserved", 0, 0),
            MinUnit = Body.IntOr(body, "min_unit", 1, 1),
            MaxUnit = Body.IntOr(body, "max_unit", Body.MaxInt, 1),
            StepSize = Body.IntOr(body, "step_size", 1, 1),
            AllocationRatio = ratio,
        };
        var allowsFull = version.AtLeast(26);
        if (allowsFull ? inventory.Capacity < 0 : inventory.Capacity <= 0)
        {
            throw PlacementException.BadRequest(
                $"Unable to update inventory for resource provider {uuid}: Invalid inventory for '{resourceClass}' on " +
                $"resource provider '{uuid}'. The reserved value is greater than {(allowsFull ? "" : "or equal to ")}total.");
        }

        return inventory;
    }
}
