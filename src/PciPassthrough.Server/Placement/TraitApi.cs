using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary><c>/traits</c> and <c>/resource_providers/{uuid}/traits</c> (08 §7, PA-29, PA-30), from 1.6.</summary>
public static class TraitApi
{
    public static void Map(RouteGroupBuilder placement)
    {
        placement.MapGet("/traits", ListAsync).MinVersion(6);
        placement.MapGet("/traits/{name}", ShowAsync).MinVersion(6);
        placement.MapPut("/traits/{name}", PutAsync).MinVersion(6);
        placement.MapDelete("/traits/{name}", DeleteAsync).MinVersion(6);
        placement.MapGet("/resource_providers/{uuid}/traits", ProviderTraitsAsync).MinVersion(6);
        placement.MapPut("/resource_providers/{uuid}/traits", SetProviderTraitsAsync).MinVersion(6).RequiresJson();
        placement.MapDelete("/resource_providers/{uuid}/traits", DeleteProviderTraitsAsync).MinVersion(6);
    }

    /// <summary>PA-29: <c>name=in:A,B</c> or <c>name=startswith:P</c>; <c>associated=true|false</c>.</summary>
    private static async Task<IResult> ListAsync(HttpContext http, PlacementDb db, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        QueryParser.CheckKeys(query, key => key is "name" or "associated");
        // standard traits first, then custom ones in creation order, as Placement numbers them
        var names = Store.StandardTraits.Order(StringComparer.Ordinal)
            .Concat(await db.CustomTraits.OrderBy(t => t.CreationOrder).Select(t => t.Name).ToListAsync(cancellationToken));
        if (QueryParser.Last(query, "name") is { } text)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw PlacementException.BadRequest(
                    $"Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: \"{text}\"");
            }

            var (op, operand) = (text[..colon], text[(colon + 1)..]);
            if (op == "in")
            {
                var wanted = operand.Split(',').ToHashSet(StringComparer.Ordinal);
                names = names.Where(wanted.Contains);
            }
            else if (op == "startswith")
            {
                names = names.Where(n => n.StartsWith(operand, StringComparison.Ordinal));
            }
        }

        if (QueryParser.Last(query, "associated") is { } associatedText)
        {
            var associated = associatedText.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw PlacementException.BadRequest(
                    $"The query parameter \"associated\" only accepts \"true\" or \"false\", got \"{associatedText}\""),
            };
            var used = (await db.ProviderTraits.Select(t => t.Value).Distinct().ToListAsync(cancellationToken))
                .ToHashSet(StringComparer.Ordinal);
            names = names.Where(n => used.Contains(n) == associated);
        }

        return PlacementHttp.Json(new JsonObject
        {
            ["traits"] = new JsonArray([.. names.Select(n => (JsonNode)n)]),
        });
    }

    private static async Task<IResult> ShowAsync(PlacementDb db, string name, CancellationToken cancellationToken) =>
        (await db.UnknownTraitsAsync([name], cancellationToken)).Count == 0
            ? PlacementHttp.Empty(StatusCodes.Status204NoContent)
            : throw PlacementException.NotFound($"No such trait(s): {name}.");

    private static async Task<IResult> PutAsync(PlacementDb db, string name, CancellationToken cancellationToken)
    {
        if (!Body.IsCustomName(name))
        {
            throw PlacementException.BadRequest("The trait is invalid. A valid trait must be no longer than 255 characters, " +
                "start with the prefix \"CUSTOM_\" and use following characters: \"A\"-\"Z\", \"0\"-\"9\" and \"_\"");
        }

        var location = $"/traits/{name}";
        if ((await db.UnknownTraitsAsync([name], cancellationToken)).Count == 0)
        {
            return PlacementHttp.Empty(StatusCodes.Status204NoContent, location);
        }

        db.CustomTraits.Add(new NameRow { Name = name });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return PlacementHttp.Empty(StatusCodes.Status204NoContent, location);
        }

        return PlacementHttp.Empty(StatusCodes.Status201Created, location);
    }

    private static async Task<IResult> DeleteAsync(PlacementDb db, string name, CancellationToken cancellationToken)
    {
        if (Store.StandardTraits.Contains(name))
        {
            throw PlacementException.BadRequest($"Cannot delete standard trait {name}.");
        }

        var existing = await db.CustomTraits.FirstOrDefaultAsync(t => t.Name == name, cancellationToken)
            ?? throw PlacementException.NotFound($"No such trait(s): {name}.");
        if (await db.ProviderTraits.AnyAsync(t => t.Value == name, cancellationToken))
        {
            throw PlacementException.Conflict($"The trait {name} is in use by a resource provider.");
        }

        db.CustomTraits.Remove(existing);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw PlacementException.NotFound($"No such trait(s): {name}.");
        }

        return Results.NoContent();
    }

    private static JsonObject Render(ProviderRow provider, IEnumerable<string> traits) => new()
    {
        ["traits"] = new JsonArray([.. traits.Order(StringComparer.Ordinal).Select(t => (JsonNode)t)]),
        ["resource_provider_generation"] = provider.Generation,
    };

    private static async Task<IResult> ProviderTraitsAsync(PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var traits = await db.ProviderTraits.Where(t => t.ProviderUuid == uuid).Select(t => t.Value).ToListAsync(cancellationToken);
        return PlacementHttp.Json(Render(provider, traits));
    }

    /// <summary>PA-30: replaces the set; the generation moves only when the set changed.</summary>
    private static async Task<IResult> SetProviderTraitsAsync(HttpContext http, PlacementDb db, string uuid,
        CancellationToken cancellationToken)
    {
        // unlike the other provider writes, Placement checks this body before it looks the provider up
        var body = Body.Object(await http.ReadJsonAsync(cancellationToken), "traits",
            ["traits", "resource_provider_generation"], "traits", "resource_provider_generation");
        var generation = Body.Generation(body, "resource_provider_generation");
        var traitsElement = body.GetProperty("traits");
        if (traitsElement.ValueKind != JsonValueKind.Array)
        {
            throw Body.Invalid($"{Body.Repr(traitsElement)} is not of type 'array'", "type");
        }

        // each name: a string of 1 to 255 characters, as the schema checks before any name is looked up
        const string ItemPath = "['properties']['traits']['items']";
        foreach (var trait in traitsElement.EnumerateArray())
        {
            if (trait.ValueKind != JsonValueKind.String)
            {
                throw Body.Invalid($"{Body.Repr(trait)} is not of type 'string'", "type", ItemPath);
            }

            if (trait.GetString()!.Length is 0 or > 255)
            {
                var tooShort = trait.GetString()!.Length == 0;
                throw Body.Invalid($"{Body.Repr(trait)} is too {(tooShort ? "short" : "long")}", tooShort ? "minLength" : "maxLength", ItemPath);
            }
        }

        var wanted = traitsElement.EnumerateArray().Select(t => t.GetString()!).ToHashSet(StringComparer.Ordinal);
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        provider.CheckGeneration(generation);
        var unknown = await db.UnknownTraitsAsync(wanted, cancellationToken);
        if (unknown.Count > 0)
        {
            throw PlacementException.BadRequest($"No such trait {string.Join(", ", unknown)}");
        }

        var current = await db.ProviderTraits.Where(t => t.ProviderUuid == uuid).ToListAsync(cancellationToken);
        if (!current.Select(t => t.Value).ToHashSet(StringComparer.Ordinal).SetEquals(wanted))
        {
            db.ProviderTraits.RemoveRange(current.Where(t => !wanted.Contains(t.Value)));
            db.ProviderTraits.AddRange(wanted.Where(w => current.All(c => c.Value != w))
                .Select(w => new ProviderLinkRow { ProviderUuid = uuid, Value = w }));
            provider.Generation++;
            provider.UpdatedAt = DateTime.UtcNow;
            await db.SaveProviderWriteAsync(provider, cancellationToken);
        }

        return PlacementHttp.Json(Render(provider, wanted));
    }

    private static async Task<IResult> DeleteProviderTraitsAsync(PlacementDb db, string uuid, CancellationToken cancellationToken)
    {
        var provider = await db.ProviderAsync(uuid, cancellationToken);
        var current = await db.ProviderTraits.Where(t => t.ProviderUuid == uuid).ToListAsync(cancellationToken);
        if (current.Count > 0)
        {
            db.ProviderTraits.RemoveRange(current);
            provider.Generation++;
            await db.SaveProviderWriteAsync(provider, cancellationToken);
        }

        return Results.NoContent();
    }
}
