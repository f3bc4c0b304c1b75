using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Placement;

/// <summary>
/// PostgreSQL's claim in one statement, one round trip: a new consumer's allocations (Nova's claim when it
/// schedules a server, a PCI claim). The statement checks what <see cref="AllocationWriter"/> checks for a new
/// consumer (no consumer row and no allocations yet, PA-34's inventory, min/max/step and capacity per provider and
/// class) and, only if all hold, bumps each provider's generation, creates the consumer at generation 1 and inserts
/// the allocations. Otherwise it writes nothing and says why (<see cref="Result"/>): a failed check comes back with
/// the rows it failed on, so the caller reports the general path's exact error without reading again; a lost race
/// is worth another try; a consumer that exists is the general path's.
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

    internal enum Result
    {
        /// <summary>The claim is in.</summary>
        Stored,

        /// <summary>A check failed for a consumer that did not exist (the usual refusal: a full provider):
        /// <see cref="Outcome.Snapshot"/> holds what the statement read, to be checked as the general path checks
        /// its own read, without a second round trip.</summary>
        Declined,

        /// <summary>Every check passed but another writer got there first: trying again will see its write.</summary>
        Raced,

        /// <summary>The consumer exists: the general path replaces its allocations.</summary>
        NotNew,
    }

    /// <summary>What <see cref="TryAsync"/> did; nothing was written unless <see cref="Result.Stored"/>.</summary>
    internal readonly record struct Outcome(Result Result, AllocationWriter.StoredState? Snapshot = null);

    internal static async Task<Outcome> TryAsync(PlacementDb db, ConsumerWrite write, CancellationToken cancellationToken)
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

        // state: what the checks and the generation guards read, once; also the answer when a check fails.
        command.Sql("""), state AS MATERIALIZED (SELECT w."Provider", w."Class", w."Amount", p."Generation", i."Total", """)
            .Sql("""i."Reserved", i."MinUnit", i."MaxUnit", i."StepSize", i."AllocationRatio", COALESCE(u."Used", 0) AS "Used" """)
            .Sql("""FROM wanted w LEFT JOIN "Providers" p ON p."Uuid" = w."Provider" LEFT JOIN "Inventories" i """)
            .Sql("""ON i."ProviderUuid" = w."Provider" AND i."ResourceClass" = w."Class" LEFT JOIN "Usages" u """)
            .Sql("""ON u."ProviderUuid" = w."Provider" AND u."ResourceClass" = w."Class")""")
            .Sql(""", fresh AS (SELECT NOT EXISTS (SELECT 1 FROM "Consumers" WHERE "Uuid" = """).Param(write.ConsumerUuid)
            .Sql(""") AND NOT EXISTS (SELECT 1 FROM "Allocations" WHERE "ConsumerUuid" = """).Param(write.ConsumerUuid)
            .Sql(""") AS yes), fits AS (SELECT (SELECT yes FROM fresh) AND (SELECT count(*) FROM state """)
            .Sql("""WHERE "Generation" IS NOT NULL AND "Amount" BETWEEN "MinUnit" AND "MaxUnit" """)
            .Sql("""AND CASE WHEN "StepSize" > 0 THEN "Amount" % "StepSize" = 0 END """)
            .Sql("""AND "Used" + "Amount" <= trunc(("Total" - "Reserved"::bigint) * "AllocationRatio")) = """)
            .Param(wanted.Count).Sql(" AS ok)");
        var now = DateTime.UtcNow;
        for (var i = 0; i < providers.Count; i++)
        {
            command.Sql($", bump{i} AS (").Sql("""UPDATE "Providers" SET "Generation" = "Generation" + 1, "UpdatedAt" = """).Param(now)
                .Sql(""" WHERE "Uuid" = """).Param(providers[i])
                .Sql(""" AND "Generation" = (SELECT "Generation" FROM state WHERE "Provider" = """).Param(providers[i])
                .Sql(i == 0 ? " LIMIT 1) AND (SELECT ok FROM fits)" : $" LIMIT 1) AND EXISTS (SELECT 1 FROM bump{i - 1})").Sql(" RETURNING 1)");
        }

        var last = $"bump{providers.Count - 1}";
        command.Sql(""", consumer AS (INSERT INTO "Consumers" ("Uuid", "ProjectId", "UserId", "ConsumerType", "Generation") SELECT """)
            .Param(write.ConsumerUuid).Sql(", ").Param(write.ProjectId).Sql(", ").Param(write.UserId).Sql(", ").Param(write.ConsumerType)
            .Sql($", 1 WHERE EXISTS (SELECT 1 FROM {last}) RETURNING 1)")
            .Sql(""", allocated AS (INSERT INTO "Allocations" ("ConsumerUuid", "ProviderUuid", "ResourceClass", "Used") SELECT """)
            .Param(write.ConsumerUuid).Sql($""", "Provider", "Class", "Amount" FROM wanted WHERE EXISTS (SELECT 1 FROM {last}) RETURNING 1)""")
            .Sql(" SELECT (SELECT count(*) FROM consumer), NULL, NULL, (SELECT ok FROM fits)::int, NULL::int, NULL::int, NULL::int,")
            .Sql(" NULL::int, NULL::float8, NULL::bigint,")
            .Sql($" (1 / (1 + (SELECT count(*) FROM {last}) - (SELECT count(*) FROM bump0)))::int")
            .Sql(""" UNION ALL SELECT 0, "Provider", "Class", "Total", "Reserved", "MinUnit", "MaxUnit", "StepSize", "AllocationRatio", """)
            .Sql(""" "Used", "Generation" FROM state WHERE (SELECT yes FROM fresh) AND NOT (SELECT ok FROM fits)""");
        try
        {
            await using var reader = await command.ReadAsync(cancellationToken);
            var generations = new Dictionary<string, int>(StringComparer.Ordinal);
            var inventories = new Dictionary<(string Provider, string Class), (InventoryRow Inventory, long OthersUsed)>();
            var status = Result.NotNew;
            var declined = false;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(1))
                {
                    status = reader.GetInt64(0) == 1 ? Result.Stored : reader.GetInt32(3) == 1 ? Result.Raced : Result.NotNew;
                    continue;
                }

                declined = true;
                if (!reader.IsDBNull(10))
                {
                    generations[reader.GetString(1)] = reader.GetInt32(10);
                }

                if (!reader.IsDBNull(3))
                {
                    var (inventory, used) = AllocationWriter.StoredState.ReadInventory(reader, 1);
                    inventories[(inventory.ProviderUuid, inventory.ResourceClass)] = (inventory, used);
                }
            }

            return declined ? new Outcome(Result.Declined, new AllocationWriter.StoredState([], [], generations, inventories)) : new Outcome(status);
        }
        catch (Exception e) when (AllocationWriter.LostRace(e))
        {
            return new Outcome(Result.Raced);
        }
    }
}
