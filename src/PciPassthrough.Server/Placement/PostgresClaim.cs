using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary>
/// PostgreSQL's claim in one statement, one round trip: a new consumer's allocations (Nova's claim when it
/// schedules a server, a PCI claim). The statement checks what <see cref="AllocationWriter"/> checks for a new
/// consumer (no consumer row and no allocations yet, PA-34's inventory, min/max/step and capacity per provider and
/// class) and, only if all hold, bumps each provider's generation, creates the consumer at generation 1 and inserts
/// the allocations. It answers false, having written nothing, when a check fails or another writer got there first;
/// the caller then takes the general path, which reads, reports the exact error or retries.
/// <para>Why it cannot double-book: every read of the statement sees one snapshot, and each provider's update is
/// guarded by the generation in that snapshot. A writer that committed after the snapshot, or holds the row and
/// commits while we wait for it, has bumped that generation (all allocation writes do, PA-51); PostgreSQL re-checks
/// the guard on the row's newest version, the update matches nothing, and nothing after it runs. The providers are
/// updated one after another in uuid order (each update waits for the previous one's row), so two claims take their
/// row locks in one order. A claim that got only some of its providers fails with a division by zero, which undoes
/// the statement's implicit transaction.</para>
/// </summary>
public static class PostgresClaim
{
    /// <summary>Whether <paramref name="writes"/> is such a claim: one consumer, some allocations, and (from 1.28) the
    /// client expecting no consumer yet.</summary>
    public static bool Applies(PlacementDb db, IReadOnlyList<ConsumerWrite> writes) =>
        db is PostgresPlacementDb && writes is [{ Allocations.Count: > 0 } write] && (!write.ChecksGeneration || write.ConsumerGeneration is null);

    /// <summary>True when the claim is stored; false when nothing was written (see the type's summary).</summary>
    public static async Task<bool> TryAsync(PlacementDb db, ConsumerWrite write, CancellationToken cancellationToken)
    {
        // In (provider, class) order, as every writer inserts: the usage rows' triggers then lock them in one order.
        var wanted = write.Allocations.SelectMany(p => p.Value.Select(r => (Provider: p.Key, Class: r.Key, Amount: r.Value)))
            .OrderBy(w => w.Provider, StringComparer.Ordinal).ThenBy(w => w.Class, StringComparer.Ordinal).ToList();
        var providers = write.Allocations.Keys.Order(StringComparer.Ordinal).ToList();
        await using var command = new RawCommand(db).Sql("""WITH wanted ("Provider", "Class", "Amount") AS (VALUES """);
        for (var i = 0; i < wanted.Count; i++)
        {
            command.Sql(i == 0 ? "(" : ", (").Param(wanted[i].Provider).Sql(", ").Param(wanted[i].Class).Sql(", ")
                .Param(wanted[i].Amount).Sql(")");
        }

        command.Sql("""), fits AS (SELECT NOT EXISTS (SELECT 1 FROM "Consumers" WHERE "Uuid" = """).Param(write.ConsumerUuid)
            .Sql(""") AND NOT EXISTS (SELECT 1 FROM "Allocations" WHERE "ConsumerUuid" = """).Param(write.ConsumerUuid)
            .Sql(""") AND (SELECT count(*) FROM wanted w JOIN "Inventories" i ON i."ProviderUuid" = w."Provider" """)
            .Sql("""AND i."ResourceClass" = w."Class" LEFT JOIN "Usages" u ON u."ProviderUuid" = w."Provider" AND u."ResourceClass" = w."Class" """)
            .Sql("""WHERE w."Amount" BETWEEN i."MinUnit" AND i."MaxUnit" AND CASE WHEN i."StepSize" > 0 THEN w."Amount" % i."StepSize" = 0 END """)
            .Sql("""AND COALESCE(u."Used", 0) + w."Amount" <= trunc((i."Total" - i."Reserved"::bigint) * i."AllocationRatio")) = """)
            .Param(wanted.Count).Sql(" AS ok)");
        var now = DateTime.UtcNow;
        for (var i = 0; i < providers.Count; i++)
        {
            command.Sql($", bump{i} AS (").Sql("""UPDATE "Providers" SET "Generation" = "Generation" + 1, "UpdatedAt" = """).Param(now)
                .Sql(""" WHERE "Uuid" = """).Param(providers[i])
                .Sql(""" AND "Generation" = (SELECT "Generation" FROM "Providers" WHERE "Uuid" = """).Param(providers[i])
                .Sql(i == 0 ? ") AND (SELECT ok FROM fits)" : $") AND EXISTS (SELECT 1 FROM bump{i - 1})").Sql(" RETURNING 1)");
        }

        var last = $"bump{providers.Count - 1}";
        command.Sql(""", consumer AS (INSERT INTO "Consumers" ("Uuid", "ProjectId", "UserId", "ConsumerType", "Generation") SELECT """)
            .Param(write.ConsumerUuid).Sql(", ").Param(write.ProjectId).Sql(", ").Param(write.UserId).Sql(", ").Param(write.ConsumerType)
            .Sql($", 1 WHERE EXISTS (SELECT 1 FROM {last}) RETURNING 1)")
            .Sql(""", allocated AS (INSERT INTO "Allocations" ("ConsumerUuid", "ProviderUuid", "ResourceClass", "Used") SELECT """)
            .Param(write.ConsumerUuid).Sql($""", "Provider", "Class", "Amount" FROM wanted WHERE EXISTS (SELECT 1 FROM {last}) RETURNING 1)""")
            .Sql(" SELECT (SELECT count(*) FROM consumer),")
            .Sql($" 1 / (1 + (SELECT count(*) FROM {last}) - (SELECT count(*) FROM bump0))");
        try
        {
            await using var reader = await command.ReadAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) == 1;
        }
        catch (Exception e) when (AllocationWriter.LostRace(e))
        {
            return false;
        }
    }
}
