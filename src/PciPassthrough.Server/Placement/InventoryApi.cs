using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.Placement;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>/resource_providers/{uuid}/inventories</c> (08 §5, PA-22…26). Every successful write bumps the
/// provider generation by exactly one (PA-26).</summary>
public static class InventoryApi
{
    private static readonly List<string> _standardOrder = [.. StandardNames.ResourceClasses];

    internal static readonly string[] Fields = ["total", "reserved", "min_unit", "max_unit", "step_size", "allocation_ratio"];

    public static void Map(RouteGroupBuilder placement)
    {
        const string All = "/resource_providers/{uuid}/inventories", One = All + "/{resourceClass}";
        placement.MapGet(All, ListAsync);
        placement.MapPost(All, CreateAsync).RequiresJson();
        placement.MapPut(All, ReplaceAllAsync).RequiresJson();
        placement.MapDelete(All, DeleteAllAsync).AddEndpointFilter(async (context, next) =>
            context.HttpContext.Version().AtLeast(5)
                ? await next(context)
                : throw new PlacementException(StatusCodes.Status405MethodNotAllowed,
                    "The method specified is not allowed for this resource (DELETE needs microversion 1.5)."));
        placement.MapGet(One, ShowAsync);
        placement.MapPut(One, UpdateAsync).RequiresJson();
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
        return PlacementHttp.Json(RenderAll(provider, inventories), lastModified: inventories.Count > 0);
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
        // the schema allows (and the handler ignores) a generation; the capacity is checked before the class exists
        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "inventory",
            [.. Fields, "resource_class", "resource_provider_generation"], "total", "resource_class");
        var resourceClass = Body.String(body, "resource_class");
        if (!Body.IsResourceClassName(resourceClass))
        {
            throw Body.Invalid($"'{resourceClass}' does not match '^[A-Z0-9_]+$' ('resource_class')", "pattern",
                "['properties']['resource_class']");
        }

        if (body.TryGetProperty("resource_provider_generation", out _))
        {
            Body.Generation(body, "resource_provider_generation");
        }

        var inventory = Parse(body, provider.Uuid, resourceClass, http.Version(), "create");
        if (!await db.ResourceClassExistsAsync(resourceClass, cancellationToken))
        {
            throw PlacementException.BadRequest(
                $"Unable to create inventory for resource provider {uuid}: No such resource class {resourceClass}.");
        }

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
        var inventoriesElement = Body.Map(body.GetProperty("inventories"), "inventories");
        // as Placement: the whole body's schema first, then the generation, then classes and capacities
        // every record's keys (shallower, so jsonschema reports them first) before any record's values
        var records = inventoriesElement.EnumerateObject()
            .Select(entry => (entry.Name, Value: Body.Object(entry.Value, $"inventory {entry.Name}", Fields, "total"))).ToList();
        var wanted = records.Select(record => ParseFields(record.Value, uuid, record.Name, ReplaceAllSchema)).ToList();
        provider.CheckGeneration(Body.Generation(body, "resource_provider_generation"));
        foreach (var inventory in wanted)
        {
            if (!await db.ResourceClassExistsAsync(inventory.ResourceClass, cancellationToken))
            {
                throw PlacementException.BadRequest(
                    $"Unknown resource class in inventory for resource provider {uuid}: No such resource class {inventory.ResourceClass}.");
            }

            CheckCapacity(inventory, http.Version(), "update");
        }

        await ReplaceAsync(db, provider, wanted, UpdateConflict, cancellationToken);
        return PlacementHttp.Json(RenderAll(provider, wanted), lastModified: wanted.Count > 0);
    }

    private static async Task<IResult> DeleteAllAsync(PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        await ReplaceAsync(db, provider, [], "", cancellationToken);
        return Results.NoContent();
    }

    /// <summary>The one place inventories are replaced wholesale (PUT all, DELETE all).</summary>
    private static async Task ReplaceAsync(PlacementDb db, ProviderRow provider, List<InventoryRow> wanted, string inUseContext,
        CancellationToken cancellationToken)
    {
        var current = await db.Inventories.Where(i => i.ProviderUuid == provider.Uuid).ToListAsync(cancellationToken);
        var usages = await db.UsagesAsync(provider.Uuid, cancellationToken);
        var removed = current.Where(c => wanted.All(w => w.ResourceClass != c.ResourceClass)).ToList();
        // Placement names every allocated class it would remove
        var inUse = await InClassIdOrderAsync(db, removed.Select(r => r.ResourceClass).Where(c => usages.GetValueOrDefault(c) > 0),
            cancellationToken);
        if (inUse.Count > 0)
        {
            throw InUse(string.Join(", ", inUse), provider.Uuid, ErrorCodes.InventoryInUse, inUseContext);
        }

        db.Inventories.RemoveRange(removed);

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
            [.. Fields, "resource_provider_generation"], "total", "resource_provider_generation");
        var updated = ParseFields(body, uuid, resourceClass);
        provider.CheckGeneration(Body.Generation(body, "resource_provider_generation"));
        CheckCapacity(updated, http.Version(), "update");
        if (!await db.ResourceClassExistsAsync(resourceClass, cancellationToken))
        {
            // Placement's lookup of the class in the path fails as a 404 here, not the 400 of a class in a body
            throw PlacementException.NotFound($"No such resource class {resourceClass}.");
        }

        var existing = await db.Inventories.FirstOrDefaultAsync(
                i => i.ProviderUuid == uuid && i.ResourceClass == resourceClass, cancellationToken)
            ?? throw PlacementException.BadRequest(
                $"No inventory record with resource class for resource provider {uuid}: No inventory of class {resourceClass} found.");
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
            ?? throw PlacementException.NotFound($"No inventory of class {resourceClass} found for delete: " +
                (await db.ResourceClassExistsAsync(resourceClass, cancellationToken)
                    ? $"No inventory of class {resourceClass} found for delete"
                    : $"No such resource class {resourceClass}."));
        if (await db.Allocations.AnyAsync(a => a.ProviderUuid == uuid && a.ResourceClass == resourceClass, cancellationToken))
        {
            throw InUse(resourceClass, uuid, ErrorCodes.ConcurrentUpdate, $"Unable to delete inventory of class {resourceClass}: ");
        }

        db.Inventories.Remove(existing);
        Bump(provider);
        await db.SaveProviderWriteAsync(provider, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Classes as Placement lists them: by class id, so standard classes first; custom ones in the order
    /// they were created when <paramref name="created"/> says it, else by name.</summary>
    private static IEnumerable<string> InClassIdOrder(IEnumerable<string> classes, Dictionary<string, long>? created) =>
        classes.OrderBy(c => _standardOrder.IndexOf(c) is >= 0 and var index ? index : int.MaxValue)
            .ThenBy(c => created?.GetValueOrDefault(c)).ThenBy(c => c, StringComparer.Ordinal);

    /// <summary><see cref="InClassIdOrder"/> with the creation order of the custom classes among them.</summary>
    internal static async Task<List<string>> InClassIdOrderAsync(PlacementDb db, IEnumerable<string> classes,
        CancellationToken cancellationToken)
    {
        var listed = classes.ToList();
        var custom = listed.Where(c => !_standardOrder.Contains(c)).ToList();
        var created = custom.Count == 0
            ? null
            : await db.CustomResourceClasses.Where(r => custom.Contains(r.Name))
                .ToDictionaryAsync(r => r.Name, r => r.CreationOrder, StringComparer.Ordinal, cancellationToken);
        return [.. InClassIdOrder(listed, created)];
    }

    /// <summary>PA-16's wording after the <paramref name="context"/> Placement's handler puts first.</summary>
    internal static PlacementException InUse(string resourceClass, string uuid, string code, string context) => PlacementException.Conflict(
        $"{context}Inventory for '{resourceClass}' on resource provider '{uuid}' in use.", code);

    /// <summary>What Placement's PUT and reshaper put before an in-use detail.</summary>
    internal const string UpdateConflict = "update conflict: ";

    private static void Bump(ProviderRow provider)
    {
        provider.Generation++;
        provider.UpdatedAt = DateTime.UtcNow;
    }

    /// <summary>Where a PUT of all inventories keeps each record in Placement's schema (for its error messages).</summary>
    private const string ReplaceAllSchema = "['properties']['inventories']['patternProperties']['^[A-Z0-9_]+$']";

    /// <summary>The 08 §5 field table with defaults, then PA-22's capacity check for the <paramref name="action"/>
    /// ("create" or "update") Placement names in its error.</summary>
    internal static InventoryRow Parse(JsonElement body, string uuid, string resourceClass, Microversion version, string action = "update") =>
        CheckCapacity(ParseFields(body, uuid, resourceClass), version, action);

    /// <summary>The 08 §5 field table with defaults; errors are jsonschema's, naming the field under
    /// <paramref name="schemaPrefix"/>. No capacity check: the reshaper takes any reserved (PA-50).</summary>
    internal static InventoryRow ParseFields(JsonElement body, string uuid, string resourceClass, string schemaPrefix = "")
    {
        var ratio = 1.0;
        if (body.TryGetProperty("allocation_ratio", out var ratioElement))
        {
            var path = $"{schemaPrefix}['properties']['allocation_ratio']";
            if (ratioElement.ValueKind != JsonValueKind.Number || !ratioElement.TryGetDouble(out ratio))
            {
                throw Body.Invalid($"{Body.Repr(ratioElement)} is not of type 'number' ('allocation_ratio')", "type", path);
            }

            if (ratio > MaxRatio)
            {
                throw Body.Invalid($"{ratioElement.GetRawText()} is greater than the maximum of 3.40282e+38 ('allocation_ratio')",
                    "maximum", path);
            }
        }

        int Field(string name, int fallback, int min) =>
            Body.IntOr(body, name, fallback, min, Body.MaxInt, $"{schemaPrefix}['properties']['{name}']");

        return new InventoryRow
        {
            ProviderUuid = uuid,
            ResourceClass = resourceClass,
            Total = Field("total", 1, 1),
            Reserved = Field("reserved", 0, 0),
            MinUnit = Field("min_unit", 1, 1),
            MaxUnit = Field("max_unit", Body.MaxInt, 1),
            StepSize = Field("step_size", 1, 1),
            AllocationRatio = ratio,
        };
    }

    /// <summary>Placement's largest allocation ratio (a single-precision float).</summary>
    private const double MaxRatio = 3.40282e38;

    /// <summary>PA-22: capacity must be positive, or from 1.26 not negative.</summary>
    private static InventoryRow CheckCapacity(InventoryRow inventory, Microversion version, string action)
    {
        var allowsFull = version.AtLeast(26);
        if (allowsFull ? inventory.Capacity < 0 : inventory.Capacity <= 0)
        {
            var uuid = inventory.ProviderUuid;
            throw PlacementException.BadRequest(
                $"Unable to {action} inventory for resource provider {uuid}: Invalid inventory for '{inventory.ResourceClass}' on " +
                $"resource provider '{uuid}'. The reserved value is greater than {(allowsFull ? "" : "or equal to ")}total.");
        }

        return inventory;
    }
}
