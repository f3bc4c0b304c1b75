using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.Placement;
using PciPassthrough.Server.Controller.Store;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>/resource_classes</c> (08 §6, PA-27, PA-28): the standard list, then custom ones.</summary>
public static class ResourceClassApi
{
    public static void Map(RouteGroupBuilder placement)
    {
        placement.MapGet("/resource_classes", ListAsync).MinVersion(2);
        placement.MapPost("/resource_classes", CreateAsync).MinVersion(2).RequiresJson();
        placement.MapGet("/resource_classes/{name}", ShowAsync).MinVersion(2);
        placement.MapPut("/resource_classes/{name}", PutAsync).MinVersion(2);
        placement.MapDelete("/resource_classes/{name}", DeleteAsync).MinVersion(2);
    }

    private static JsonObject Render(string name) => new()
    {
        ["name"] = name,
        ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = $"/resource_classes/{name}" }),
    };

    private static async Task<IResult> ListAsync(PlacementDb db, CancellationToken cancellationToken)
    {
        var custom = await db.CustomResourceClasses.OrderBy(c => c.CreationOrder).Select(c => c.Name).ToListAsync(cancellationToken);
        var names = StandardNames.ResourceClasses.Concat(custom);
        return PlacementHttp.Json(new JsonObject { ["resource_classes"] = new JsonArray([.. names.Select(n => (JsonNode)Render(n))]) });
    }

    private static async Task<IResult> ShowAsync(PlacementDb db, string name, CancellationToken cancellationToken) =>
        await db.ResourceClassExistsAsync(name, cancellationToken)
            ? PlacementHttp.Json(Render(name))
            : throw PlacementException.NotFound($"No such resource class {name}.");

    private static async Task<IResult> CreateAsync(HttpContext http, PlacementDb db, CancellationToken cancellationToken)
    {
        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "resource class", ["name"], "name");
        var name = RequireCustom(Body.String(body, "name", 0, int.MaxValue));
        if (await db.ResourceClassExistsAsync(name, cancellationToken))
        {
            throw PlacementException.Conflict($"Conflicting resource class already exists: {name}");
        }

        db.CustomResourceClasses.Add(new NameRow { Name = name });
        await SaveNewAsync(db, name, cancellationToken);
        return PlacementHttp.Created($"/resource_classes/{name}");
    }

    /// <summary>1.2–1.6 rename through a body; from 1.7 a bodiless create-if-missing (201 / 204).</summary>
    private static async Task<IResult> PutAsync(HttpContext http, PlacementDb db, string name, CancellationToken cancellationToken)
    {
        if (http.Version().AtLeast(7))
        {
            RequireCustom(name);
            if (await db.ResourceClassExistsAsync(name, cancellationToken))
            {
                return PlacementHttp.NoContentAt($"/resource_classes/{name}");
            }

            db.CustomResourceClasses.Add(new NameRow { Name = name });
            await SaveNewAsync(db, name, cancellationToken);
            return PlacementHttp.Created($"/resource_classes/{name}");
        }

        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "resource class", ["name"], "name");
        var newName = RequireCustom(Body.String(body, "name", 0, int.MaxValue));
        if (StandardNames.ResourceClasses.Contains(name))
        {
            throw PlacementException.BadRequest($"Cannot update standard resource class {name}");
        }

        RequireCustom(name);
        if (!await db.CustomResourceClasses.AnyAsync(c => c.Name == name, cancellationToken))
        {
            throw PlacementException.NotFound($"No such resource class {name}.");
        }

        if (await db.ResourceClassExistsAsync(newName, cancellationToken))
        {
            throw PlacementException.Conflict($"Resource class already exists: {newName}");
        }

        // renamed in place: the class keeps its place in the list
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int renamed;
        try
        {
            renamed = await db.CustomResourceClasses.Where(c => c.Name == name)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, newName), cancellationToken);
        }
        catch (DbException e) when (StoreErrors.IsDuplicateKey(e))
        {
            // another rename or create took the new name since the check above
            throw PlacementException.Conflict($"Resource class already exists: {newName}");
        }

        if (renamed == 0)
        {
            // renamed or deleted by another request since the check above
            throw PlacementException.NotFound($"No such resource class {name}.");
        }

        await db.Inventories.Where(i => i.ResourceClass == name)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ResourceClass, newName), cancellationToken);
        await db.Allocations.Where(a => a.ResourceClass == name)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResourceClass, newName), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return PlacementHttp.Json(Render(newName));
    }

    private static async Task<IResult> DeleteAsync(PlacementDb db, string name, CancellationToken cancellationToken)
    {
        if (StandardNames.ResourceClasses.Contains(name))
        {
            throw PlacementException.BadRequest($"Error in delete resource class: Cannot delete standard resource class {name}.");
        }

        var existing = await db.CustomResourceClasses.FirstOrDefaultAsync(c => c.Name == name, cancellationToken)
            ?? throw PlacementException.NotFound($"No such resource class {name}.");
        if (await db.Inventories.AnyAsync(i => i.ResourceClass == name, cancellationToken))
        {
            throw PlacementException.Conflict(
                $"Error in delete resource class: Cannot delete resource class {name}. Class is in use in inventory.");
        }

        db.CustomResourceClasses.Remove(existing);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw PlacementException.NotFound($"No such resource class {name}.");
        }

        return Results.NoContent();
    }

    /// <summary>Placement's schema for a class name, in jsonschema's words: the pattern, then at most 255 characters.</summary>
    private static string RequireCustom(string name) =>
        !Body.MatchesCustomPattern(name)
            ? throw Body.Invalid($"'{name}' does not match '^CUSTOM_[A-Z0-9_]+$'", "pattern", "['properties']['name']")
            : name.Length > 255
                ? throw Body.Invalid($"'{name}' is too long", "maxLength", "['properties']['name']")
                : name;

    private static async Task SaveNewAsync(PlacementDb db, string name, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw PlacementException.Conflict($"Conflicting resource class already exists: {name}");
        }
    }
}
