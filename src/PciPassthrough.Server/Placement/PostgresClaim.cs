using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
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

        /// <summary>A check failed for a consumer that did not exist, every wanted inventory being there (the usual
        /// refusal: a full provider): <see cref="Outcome.Snapshot"/> holds what the statement read, to be checked as
        /// the general path checks its own read, without a second round trip.</summary>
        Declined,

        /// <summary>Every check passed but another writer got there first: trying again will see its write.</summary>
        Raced,

        /// <summary>For the general path: the consumer exists (its allocations are replaced), or a wanted provider or
        /// inventory is missing (the error names what the provider has of the request's other classes, which the
        /// statement does not read).</summary>
        General,
    }

    /// <summary>What <see cref="TryAsync"/> did; nothing was written unless <see cref="Result.Stored"/>.</summary>
    internal readonly record struct Outcome(Result Result, AllocationWriter.StoredState? Snapshot = null);

    internal static async Task<Outcome> TryAsync(PlacementDb db, ConsumerWrite write, CancellationToken cancellationToken)
    {
        // In (provider, class) order, as every writer inserts: the usage rows' triggers then lock them in one order.
        var wanted = write.Allocations.SelectMany(p => p.Value.Select(r => (Provider: p.Key, Class: r.Key, Amount: r.Value)))
            .OrderBy(w => w.Provider, StringComparer.Ordinal).ThenBy(w => w.Class, StringComparer.Ordinal).ToList();
        var providers = write.Allocations.Keys.Order(StringComparer.Ordinal).ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand(_statements.GetOrAdd((wanted.Count, providers.Count), Statement), connection);
        var parameters = command.Parameters;
        foreach (var (provider, resourceClass, amount) in wanted)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = provider });
            parameters.Add(new NpgsqlParameter<string> { TypedValue = resourceClass });
            parameters.Add(new NpgsqlParameter<int> { TypedValue = amount });
        }

        parameters.Add(new NpgsqlParameter<string> { TypedValue = write.ConsumerUuid });
        parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = DateTime.UtcNow });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = write.ProjectId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = write.UserId });
        parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)write.ConsumerType ?? DBNull.Value });
        foreach (var provider in providers)
        {
            parameters.Add(new NpgsqlParameter<string> { TypedValue = provider });
        }

        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var generations = new Dictionary<string, int>(StringComparer.Ordinal);
            var inventories = new Dictionary<(string Provider, string Class), (InventoryRow Inventory, long OthersUsed)>();
            var status = Result.General;
            var declined = false;
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(1))
                {
                    status = reader.GetInt64(0) == 1 ? Result.Stored : reader.GetInt32(3) == 1 ? Result.Raced : Result.General;
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

            return declined && inventories.Count == wanted.Count ? new Outcome(Result.Declined, new AllocationWriter.StoredState([], [], generations, inventories)) : new Outcome(status);
        }
        catch (Exception e) when (AllocationWriter.LostRace(e))
        {
            return new Outcome(Result.Raced);
        }
    }

    /// <summary>The statement's text for a claim of <c>Wanted</c> (provider, class) amounts on <c>Providers</c>
    /// providers: the same for every such claim, so PostgreSQL runs one prepared statement, and positional parameters
    /// ($n, each sent once however often it is used) spare Npgsql rewriting the text on every claim.</summary>
    private static readonly ConcurrentDictionary<(int Wanted, int Providers), string> _statements = new();

    /// <summary>Parameters: each wanted row's provider, class and amount; then the consumer, the time, project,
    /// user and consumer type; then the providers in uuid order (see <see cref="TryAsync"/>).</summary>
    private static string Statement((int Wanted, int Providers) shape)
    {
        var (wanted, providers) = shape;
        int consumer = 3 * wanted + 1, now = consumer + 1, project = consumer + 2, user = consumer + 3, type = consumer + 4;
        string Provider(int i) => $"${consumer + 5 + i}";

        var sql = new StringBuilder("""WITH wanted ("Provider", "Class", "Amount") AS (VALUES """);
        sql.AppendJoin(", ", Enumerable.Range(0, wanted).Select(i => $"(${3 * i + 1}, ${3 * i + 2}, ${3 * i + 3})"));

        // state: what the checks and the generation guards read, once; also the answer when a check fails.
        sql.Append($"""
            ), state AS MATERIALIZED (SELECT w."Provider", w."Class", w."Amount", p."Generation", i."Total", i."Reserved",
              i."MinUnit", i."MaxUnit", i."StepSize", i."AllocationRatio", COALESCE(u."Used", 0) AS "Used"
              FROM wanted w LEFT JOIN "Providers" p ON p."Uuid" = w."Provider"
              LEFT JOIN "Inventories" i ON i."ProviderUuid" = w."Provider" AND i."ResourceClass" = w."Class"
              LEFT JOIN "Usages" u ON u."ProviderUuid" = w."Provider" AND u."ResourceClass" = w."Class"),
            fresh AS (SELECT NOT EXISTS (SELECT 1 FROM "Consumers" WHERE "Uuid" = ${consumer})
              AND NOT EXISTS (SELECT 1 FROM "Allocations" WHERE "ConsumerUuid" = ${consumer}) AS yes),
            fits AS (SELECT (SELECT yes FROM fresh) AND (SELECT count(*) FROM state WHERE "Generation" IS NOT NULL
              AND "Amount" BETWEEN "MinUnit" AND "MaxUnit" AND CASE WHEN "StepSize" > 0 THEN "Amount" % "StepSize" = 0 END
              AND "Used" + "Amount" <= trunc(("Total" - "Reserved"::bigint) * "AllocationRatio")) = {wanted} AS ok)
            """);
        for (var i = 0; i < providers; i++)
        {
            sql.Append($"""
                , bump{i} AS (UPDATE "Providers" SET "Generation" = "Generation" + 1, "UpdatedAt" = ${now}
                  WHERE "Uuid" = {Provider(i)} AND "Generation" = (SELECT "Generation" FROM state WHERE "Provider" = {Provider(i)} LIMIT 1)
                  AND {(i == 0 ? "(SELECT ok FROM fits)" : $"EXISTS (SELECT 1 FROM bump{i - 1})")} RETURNING 1)
                """);
        }

        // Data-modifying CTEs run whether read or not: the consumer exists, and the allocations too, iff the last bump
        // happened. A claim of several providers guards against a partial bump (the first bumped, a later one not).
        var last = $"bump{providers - 1}";
        var guard = providers == 1 ? "1" : $"(1 / (1 + (SELECT count(*) FROM {last}) - (SELECT count(*) FROM bump0)))::int";
        sql.Append($"""
            , consumer AS (INSERT INTO "Consumers" ("Uuid", "ProjectId", "UserId", "ConsumerType", "Generation")
              SELECT ${consumer}, ${project}, ${user}, ${type}, 1 WHERE EXISTS (SELECT 1 FROM {last})),
            allocated AS (INSERT INTO "Allocations" ("ConsumerUuid", "ProviderUuid", "ResourceClass", "Used")
              SELECT ${consumer}, "Provider", "Class", "Amount" FROM wanted WHERE EXISTS (SELECT 1 FROM {last}))
            SELECT (SELECT count(*) FROM {last}), NULL, NULL, (SELECT ok FROM fits)::int, NULL::int, NULL::int, NULL::int,
              NULL::int, NULL::float8, NULL::bigint, {guard}
            UNION ALL SELECT 0, "Provider", "Class", "Total", "Reserved", "MinUnit", "MaxUnit", "StepSize", "AllocationRatio",
              "Used", "Generation" FROM state WHERE (SELECT yes FROM fresh) AND NOT (SELECT ok FROM fits)
            """);
        return sql.ToString();
    }
}
