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
        string? uuid = null;
        if (query.TryGetValue("uuid", out var uuidText))
        {
            uuid = Body.NormalizeUuid(uuidText.ToString())
                ?? throw PlacementException.BadRequest($"Invalid query string parameters: uuid '{uuidText}' is not a UUID");
        }

        var inTree = query.TryGetValue("in_tree", out var tree)
            ? Body.NormalizeUuid(tree.ToString()) ?? throw PlacementException.BadRequest(
                $"Invalid query string parameters: in_tree '{tree}' is not a UUID")
            : null;
        var resources = query.TryGetValue("resources", out var text)
            ? QueryParser.Resources(text.ToString())
            : new Dictionary<string, int>();
        return new ProviderFilter(query["name"].FirstOrDefault(), uuid, QueryParser.MemberOf(query["member_of"], version, "member_of"),
            resources, inTree, QueryParser.ParseRequired(query["required"], version, "required"));
    }

    public async Task<List<ProviderRow>> ApplyAsync(PlacementDb db, CancellationToken cancellationToken)
    {
        foreach (var resourceClass in Resources.Keys)
        {
            await db.RequireRequestedClassAsync(resourceClass, cancellationToken);
        }

        var unknown = await db.UnknownTraitsAsync(Required.Names, cancellationToken);
        if (unknown.Count > 0)
        {
            throw PlacementException.BadRequest($"No such trait(s): {string.Join(", ", unknown)}.");
        }

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
            providers = providers.Where(p => p.RootUuid == root);
        }

        var found = await providers.OrderBy(p => p.Name).ToListAsync(cancellationToken);
        if (!MemberOf.IsEmpty)
        {
            var aggregates = await LinksAsync(db.ProviderAggregates, cancellationToken);
            found = [.. found.Where(p => MemberOf.Matches(aggregates[p.Uuid].ToHashSet(StringComparer.Ordinal)))];
        }

        if (!Required.IsEmpty)
        {
            var traits = await LinksAsync(db.ProviderTraits, cancellationToken);
            found = [.. found.Where(p => Required.Matches(traits[p.Uuid].ToHashSet(StringComparer.Ordinal)))];
        }

        if (Resources.Count > 0)
        {
            var snapshot = await ProviderSnapshots.LoadAsync(db, cancellationToken);
            found = [.. found.Where(p => Resources.All(r => snapshot.Providers[p.Uuid].Fits(r.Key, r.Value)))];
        }

        return found;
    }

    private static async Task<ILookup<string, string>> LinksAsync(DbSet<ProviderLinkRow> links, CancellationToken cancellationToken) =>
        (await links.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(l => l.ProviderUuid, l => l.Value, StringComparer.Ordinal);
}
