using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>/resource_providers</c> (08 §4, PA-17…21).</summary>
public static class ResourceProviderApi
{
    public static void Map(RouteGroupBuilder placement)
    {
        placement.MapGet("/resource_providers", ListAsync);
        placement.MapPost("/resource_providers", CreateAsync).RequiresJson();
        placement.MapGet("/resource_providers/{uuid}", ShowAsync);
        placement.MapPut("/resource_providers/{uuid}", UpdateAsync).RequiresJson();
        placement.MapDelete("/resource_providers/{uuid}", DeleteAsync);
    }

    public static JsonObject Render(ProviderRow provider, Microversion version)
    {
        var self = $"/resource_providers/{provider.Uuid}";
        var links = new JsonArray(Link("self", self), Link("inventories", self + "/inventories"),
            Link("usages", self + "/usages"));
        if (version.AtLeast(1))
        {
            links.Add(Link("aggregates", self + "/aggregates"));
        }

        if (version.AtLeast(6))
        {
            links.Add(Link("traits", self + "/traits"));
        }

        if (version.AtLeast(11))
        {
            links.Add(Link("allocations", self + "/allocations"));
        }

        var body = new JsonObject
        {
            ["uuid"] = provider.Uuid,
            ["name"] = provider.Name,
            ["generation"] = provider.Generation,
            ["links"] = links,
        };
        if (version.AtLeast(14))
        {
            body["parent_provider_uuid"] = provider.ParentUuid;
            body["root_provider_uuid"] = provider.RootUuid;
        }

        return body;
    }

    private static JsonObject Link(string rel, string path) => new() { ["rel"] = rel, ["href"] = path };

    private static async Task<IResult> ListAsync(HttpContext http, PlacementDb db, CancellationToken cancellationToken)
    {
        var version = http.Version();
        var filter = ProviderFilter.Parse(http.Request.Query, version);
        var providers = await filter.ApplyAsync(db, cancellationToken);
        return PlacementHttp.Json(new JsonObject
        {
            ["resource_providers"] = new JsonArray([.. providers.Select(p => (JsonNode)Render(p, version))]),
        });
    }

    private static async Task<IResult> ShowAsync(HttpContext http, PlacementDb db, string uuid, CancellationToken cancellationToken) =>
        PlacementHttp.Json(Render(await db.ProviderAsync(uuid, cancellationToken), http.Version()));

    /// <summary>PA-17, PA-18.</summary>
    private static async Task<IResult> CreateAsync(HttpContext http, PlacementDb db, CancellationToken cancellationToken)
    {
        var version = http.Version();
        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "resource provider",
            version.AtLeast(14) ? ["name", "uuid", "parent_provider_uuid"] : ["name", "uuid"], "name");
        // the schema only bounds the length; an empty name, a bad parent and then a taken name or uuid fail in
        // this order, worded as Placement's object layer words them
        var name = Body.String(body, "name", 0, 200);
        var uuid = body.TryGetProperty("uuid", out _) ? Body.Uuid(body, "uuid") : Guid.NewGuid().ToString();
        var parentUuid = body.TryGetProperty("parent_provider_uuid", out _) ? Body.NullableUuid(body, "parent_provider_uuid") : null;
        PlacementException CannotCreate(string reason) =>
            PlacementException.BadRequest($"Unable to create resource provider \"{name}\", {uuid}: Object action create failed because: {reason}");
        if (name.Length == 0)
        {
            throw CannotCreate("name is required.");
        }

        var rootUuid = uuid;
        if (parentUuid is not null)
        {
            if (parentUuid == uuid)
            {
                throw CannotCreate("parent provider UUID cannot be same as UUID. Please set parent provider UUID to None if there is no parent.");
            }

            var parent = await db.Providers.FirstOrDefaultAsync(p => p.Uuid == parentUuid, cancellationToken)
                ?? throw CannotCreate("parent provider UUID does not exist.");
            rootUuid = parent.RootUuid;
        }

        await CheckUniqueAsync(db, name, uuid, cancellationToken);

        var provider = new ProviderRow
        {
            Uuid = uuid,
            Name = name,
            ParentUuid = parentUuid,
            RootUuid = rootUuid,
            // Placement writes a new root's row twice (its root id is its own, known only once inserted)
            UpdatedAt = parentUuid is null ? DateTime.UtcNow : null,
        };
        db.Providers.Add(provider);
        await SaveUniqueAsync(db, DuplicateName(name), cancellationToken);

        var location = $"/resource_providers/{uuid}";
        return version.AtLeast(20)
            ? PlacementHttp.Json(Render(provider, version), location: location)
            : PlacementHttp.Created(location);
    }

    /// <summary>PA-19: rename and (≥1.14) parent a root; re-parent or un-parent only ≥1.37; never a loop.
    /// Neither bumps the generation, so neither fails on a generation another write moved meanwhile: the update is
    /// made again on the rows as they are now (a 404 once the provider was deleted meanwhile).</summary>
    private static async Task<IResult> UpdateAsync(HttpContext http, PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var version = http.Version();
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "resource provider",
            version.AtLeast(14) ? ["name", "parent_provider_uuid"] : ["name"], "name");
        // Placement's schema has no minimum length here (only POST refuses an empty name); the parent is checked
        // before the name is found taken
        var name = Body.String(body, "name", 0, 200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyUpdateAsync(db, provider, body, name, version, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < UpdateAttempts)
            {
                db.ChangeTracker.Clear();
                provider = await db.ProviderAsync(uuid, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw PlacementException.ProviderGenerationConflict(uuid);
            }
        }
    }

    /// <summary>How often an update is made before a 409: each retry follows a write that changed the provider's tree.</summary>
    private const int UpdateAttempts = 5;

    private static async Task<IResult> ApplyUpdateAsync(PlacementDb db, ProviderRow provider, JsonElement body, string name,
        Microversion version, CancellationToken cancellationToken)
    {
        var uuid = provider.Uuid;
        // PA-7: Placement's Last-Modified here is the row's update time as read before this update: none for a child
        // provider as created. The row's time moves only when a value changes.
        var updatedBefore = provider.UpdatedAt is not null;
        if (body.TryGetProperty("parent_provider_uuid", out _))
        {
            var parentUuid = Body.NullableUuid(body, "parent_provider_uuid");
            if (parentUuid != provider.ParentUuid)
            {
                await ReparentAsync(db, provider, parentUuid, version, cancellationToken);
            }
        }

        if (name != provider.Name)
        {
            if (await db.Providers.AnyAsync(p => p.Name == name && p.Uuid != uuid, cancellationToken))
            {
                throw RenameConflict(name);
            }

            provider.Name = name;
            provider.UpdatedAt = DateTime.UtcNow;
        }

        await SaveUniqueAsync(db, RenameConflict(name), cancellationToken);
        return PlacementHttp.Json(Render(provider, version), lastModified: updatedBefore);
    }

    /// <summary>Placement's order: the new parent exists, re-parenting is allowed, no loop; un-parenting is allowed.</summary>
    private static async Task ReparentAsync(PlacementDb db, ProviderRow provider, string? parentUuid, Microversion version,
        CancellationToken cancellationToken)
    {
        PlacementException CannotSave(string action, string reason) => PlacementException.BadRequest(
            $"Unable to save resource provider {provider.Uuid}: Object action {action} failed because: {reason}");
        var tree = await db.Providers.Where(p => p.RootUuid == provider.RootUuid).ToListAsync(cancellationToken);
        var subtree = Subtree(tree, provider.Uuid);
        string newRoot;
        if (parentUuid is null)
        {
            if (!version.AtLeast(37))
            {
                throw CannotSave("update", "un-parenting a provider is not currently allowed.");
            }

            newRoot = provider.Uuid;
        }
        else
        {
            var parent = await db.Providers.FirstOrDefaultAsync(p => p.Uuid == parentUuid, cancellationToken)
                ?? throw CannotSave("create", "parent provider UUID does not exist.");
            if (provider.ParentUuid is not null && !version.AtLeast(37))
            {
                throw CannotSave("update", "re-parenting a provider is not currently allowed.");
            }

            if (subtree.Any(p => p.Uuid == parentUuid))
            {
                throw CannotSave("update", "creating loop in the provider tree is not allowed.");
            }

            newRoot = parent.RootUuid;
        }

        provider.ParentUuid = parentUuid;
        provider.UpdatedAt = DateTime.UtcNow;
        foreach (var member in subtree.Where(m => m.RootUuid != newRoot))
        {
            member.RootUuid = newRoot;
            member.UpdatedAt = provider.UpdatedAt;
        }
    }

    /// <summary>The provider and every provider below it, from its tree's rows.</summary>
    public static List<ProviderRow> Subtree(IReadOnlyCollection<ProviderRow> tree, string uuid)
    {
        var children = tree.Where(p => p.ParentUuid is not null).ToLookup(p => p.ParentUuid!, StringComparer.Ordinal);
        var result = new List<ProviderRow>();
        var pending = new Stack<ProviderRow>(tree.Where(p => p.Uuid == uuid));
        while (pending.TryPop(out var next))
        {
            result.Add(next);
            foreach (var child in children[next.Uuid])
            {
                pending.Push(child);
            }
        }

        return result;
    }

    /// <summary>PA-21: children first, then allocations; the provider's inventories, traits and aggregates go with it.</summary>
    private static async Task<IResult> DeleteAsync(PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken, " for delete");
        if (await db.Providers.AnyAsync(p => p.ParentUuid == uuid, cancellationToken))
        {
            throw PlacementException.Conflict(
                $"Unable to delete parent resource provider {uuid}: It has child resource providers.",
                ErrorCodes.CannotDeleteParent);
        }

        if (await db.Allocations.AnyAsync(a => a.ProviderUuid == uuid, cancellationToken))
        {
            throw PlacementException.Conflict(
                $"Unable to delete resource provider {uuid}: Resource provider has allocations.", ErrorCodes.ProviderInUse);
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Inventories.Where(i => i.ProviderUuid == uuid).ExecuteDeleteAsync(cancellationToken);
            await db.ProviderTraits.Where(t => t.ProviderUuid == uuid).ExecuteDeleteAsync(cancellationToken);
            await db.ProviderAggregates.Where(a => a.ProviderUuid == uuid).ExecuteDeleteAsync(cancellationToken);
            db.Providers.Remove(provider);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // a delete that got there first is a 404, as when it came before; any other write to the provider, a 409
            db.ChangeTracker.Clear();
            await db.ProviderAsync(uuid, cancellationToken, " for delete");
            throw PlacementException.ProviderGenerationConflict(uuid);
        }

        return Results.NoContent();
    }

    private static async Task CheckUniqueAsync(PlacementDb db, string name, string newUuid, CancellationToken cancellationToken)
    {
        if (await db.Providers.AnyAsync(p => p.Name == name, cancellationToken))
        {
            throw DuplicateName(name);
        }

        if (await db.Providers.AnyAsync(p => p.Uuid == newUuid, cancellationToken))
        {
            throw PlacementException.Conflict($"Conflicting resource provider uuid: {newUuid} already exists.",
                ErrorCodes.DuplicateName);
        }
    }

    private static PlacementException DuplicateName(string name) => PlacementException.Conflict(
        $"Conflicting resource provider name: {name} already exists.", ErrorCodes.DuplicateName);

    /// <summary>A rename onto a taken name, worded as Placement's update words it (no "name:").</summary>
    private static PlacementException RenameConflict(string name) => PlacementException.Conflict(
        $"Conflicting resource provider {name} already exists.", ErrorCodes.DuplicateName);

    /// <summary>A concurrent create or rename onto the same name or uuid loses on the unique index: still a 409.</summary>
    private static async Task SaveUniqueAsync(PlacementDb db, PlacementException conflict, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            throw conflict;
        }
    }

}
