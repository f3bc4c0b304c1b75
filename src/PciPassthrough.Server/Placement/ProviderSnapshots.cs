using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.PlacementApi;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary>Loads the whole provider state for the pure searches in Core: one batch of five plain queries
/// (<see cref="RawCommand"/>), each statement with its own snapshot as EF Core's separate queries had. EF Core's
/// first translation of these queries in a process cost ~0.4 s of CPU (most of it JIT), paid by the first
/// <c>GET /allocation_candidates</c> after a start.</summary>
public static class ProviderSnapshots
{
    public static async Task<PlacementSnapshot> LoadAsync(PlacementDb db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new RawCommand(db)
                .Sql("""SELECT "Uuid", "ParentUuid", "RootUuid" FROM "Providers" ORDER BY "CreationOrder"; """)
                .Sql(db.UsageTotalsSql).Sql("; ")
                .Sql("""SELECT "ProviderUuid", "ResourceClass", "Total", "Reserved", "MinUnit", "MaxUnit", "StepSize", """)
                .Sql(""" "AllocationRatio" FROM "Inventories"; """)
                .Sql("""SELECT "ProviderUuid", "Value" FROM "ProviderTrait"; SELECT "ProviderUuid", "Value" FROM "ProviderAggregate" """);
            await using var reader = await command.ReadAsync(cancellationToken);
            var providers = new List<(string Uuid, string? Parent, string Root)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                providers.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
            }

            await reader.NextResultAsync(cancellationToken);
            var usages = new Dictionary<(string, string), long>();
            while (await reader.ReadAsync(cancellationToken))
            {
                usages[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
            }

            await reader.NextResultAsync(cancellationToken);
            var inventories = new Dictionary<string, Dictionary<string, InventoryState>>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var (provider, resourceClass) = (reader.GetString(0), reader.GetString(1));
                Of(inventories, provider, () => new Dictionary<string, InventoryState>(StringComparer.Ordinal))[resourceClass] = new(
                    reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetDouble(7),
                    usages.GetValueOrDefault((provider, resourceClass)));
            }

            var traits = await LinksAsync(reader, cancellationToken);
            var aggregates = await LinksAsync(reader, cancellationToken);
            return new PlacementSnapshot(providers.Select((p, order) => new ProviderState(p.Uuid, p.Parent, p.Root, order,
                inventories.GetValueOrDefault(p.Uuid) ?? new Dictionary<string, InventoryState>(StringComparer.Ordinal),
                traits.GetValueOrDefault(p.Uuid) ?? new HashSet<string>(StringComparer.Ordinal),
                aggregates.GetValueOrDefault(p.Uuid) ?? new HashSet<string>(StringComparer.Ordinal))));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The next result's (provider, value) rows as a set per provider.</summary>
    private static async Task<Dictionary<string, HashSet<string>>> LinksAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        await reader.NextResultAsync(cancellationToken);
        var links = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            Of(links, reader.GetString(0), () => new HashSet<string>(StringComparer.Ordinal)).Add(reader.GetString(1));
        }

        return links;
    }

    private static T Of<T>(Dictionary<string, T> byProvider, string provider, Func<T> create) =>
        byProvider.TryGetValue(provider, out var existing) ? existing : byProvider[provider] = create();
}
