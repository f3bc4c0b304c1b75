using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.PlacementApi;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary>PA-20: the filters of <c>GET /resource_providers</c>, ANDed.</summary>
public sealed record ProviderFilter(
    string? Name, string? Uuid, AggregateFilter MemberOf, IReadOnlyDictionary<string, int> Resources, string? InTree,
    TraitFilter Required)
{
    public static ProviderFilter Parse(IQueryCollection query, Microversion version)
    {
        QueryParser.CheckKeys(query, key => key switch
        {
            "name" or "uuid" => true,
            "member_of" => version.AtLeast(3),
            "resources" => version.AtLeast(4),
            "in_tree" => version.AtLeast(14),
            "required" => version.AtLeast(18),
            _ => false,
        });
        // single-valued keys: the last one wins when repeated, as in Placement
        var uuidText = QueryParser.Last(query, "uuid");
        var uuid = uuidText is null ? null : Body.NormalizeUuid(uuidText)
            ?? throw QueryParser.SchemaError($"'{uuidText}' is not a 'uuid'", "format", "uuid");
        var tree = QueryParser.Last(query, "in_tree");
        var inTree = tree is null ? null : Body.NormalizeUuid(tree)
            ?? throw QueryParser.SchemaError($"'{tree}' is not a 'uuid'", "format", "in_tree");
        // as Placement's handler: member_of, then required, then the resources amounts
        var memberOf = QueryParser.MemberOf(query["member_of"], version, "member_of");
        var required = QueryParser.ParseRequired(query["required"], version);
        var text = QueryParser.Last(query, "resources");
        var resources = text is null ? new Dictionary<string, int>() : QueryParser.Resources(text);
        // an empty name filters nothing, as in Placement
        var name = QueryParser.Last(query, "name") is { Length: > 0 } given ? given : null;
        return new ProviderFilter(name, uuid, memberOf, resources, inTree, required);
    }

    /// <summary>Placement's order, including its early exits: an unknown <c>in_tree</c>, required traits no provider
    /// has, or wanted aggregates no provider is in answer <c>[]</c> before later filters are validated (so an unknown
    /// forbidden trait or resource class is only a 400 when the earlier filters still match something). A provider
    /// without links cannot meet a non-empty any-of, so the links alone tell whether any provider does.</summary>
    public async Task<List<ProviderRow>> ApplyAsync(PlacementDb db, CancellationToken cancellationToken)
    {
        IQueryable<ProviderRow> providers = db.Providers.AsNoTracking();
        if (Name is not null)
        {
            providers = providers.Where(p => p.Name == Name);
        }

        if (Uuid is not null)
        {
            providers = providers.Where(p => p.Uuid == Uuid);
        }

        if (InTree is not null)
        {
            var root = await db.Providers.Where(p => p.Uuid == InTree).Select(p => p.RootUuid).FirstOrDefaultAsync(cancellationToken);
            if (root is null)
            {
                return [];
            }

            providers = providers.Where(p => p.RootUuid == root);
        }

        var traits = Required.IsEmpty ? null : await LinksAsync(db.ProviderTraits, cancellationToken);
        if (Required.AnyOf.Count > 0)
        {
            await CheckTraitsExistAsync(db, Required.AnyOf.SelectMany(set => set), cancellationToken);
            if (!traits!.Any(links => Required.MeetsRequired(links.ToHashSet(StringComparer.Ordinal))))
            {
                return [];
            }
        }

        await CheckTraitsExistAsync(db, Required.Forbidden, cancellationToken);
        var aggregates = MemberOf.IsEmpty ? null : await LinksAsync(db.ProviderAggregates, cancellationToken);
        if (MemberOf.AnyOf.Count > 0 && !aggregates!.Any(links => MemberOf.AnyOf.All(set => set.Overlaps(links))))
        {
            return [];
        }

        foreach (var resourceClass in Resources.Keys)
        {
            await db.RequireRequestedClassAsync(resourceClass, cancellationToken);
        }

        var found = await providers.OrderBy(p => p.CreationOrder).ToListAsync(cancellationToken);
        if (aggregates is not null)
        {
            found = [.. found.Where(p => MemberOf.Matches(aggregates[p.Uuid].ToHashSet(StringComparer.Ordinal)))];
        }

        if (traits is not null)
        {
            found = [.. found.Where(p => Required.Matches(traits[p.Uuid].ToHashSet(StringComparer.Ordinal)))];
        }

        if (Resources.Count > 0)
        {
            // read after the providers: one deleted meanwhile is left out, as if listed after the delete
            var snapshot = await ProviderSnapshots.LoadAsync(db, cancellationToken);
            found = [.. found.Where(p => snapshot.Providers.TryGetValue(p.Uuid, out var state) && Resources.All(r => state.Fits(r.Key, r.Value)))];
        }

        return found;
    }

    /// <summary>Placement names the first unknown trait it looks up (in query order).</summary>
    private static async Task CheckTraitsExistAsync(PlacementDb db, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var unknown = await db.UnknownTraitsAsync(names, cancellationToken);
        if (unknown.Count > 0)
        {
            throw PlacementException.BadRequest($"Invalid trait(s) in \"required\" parameter: No such trait(s): {names.First(unknown.Contains)}.");
        }
    }

    private static async Task<ILookup<string, string>> LinksAsync(DbSet<ProviderLinkRow> links, CancellationToken cancellationToken) =>
        (await links.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(l => l.ProviderUuid, l => l.Value, StringComparer.Ordinal);
}
