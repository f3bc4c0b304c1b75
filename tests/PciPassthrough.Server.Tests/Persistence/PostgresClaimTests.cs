using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PciPassthrough.Server.Persistence;
using PciPassthrough.Server.Placement;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>PostgreSQL's one-statement claim of a new consumer, called directly on a migrated database: it stores a
/// claim that fits exactly as the general path would (one bump per provider, consumer at generation 1); for every
/// check that fails it writes nothing and answers Declined with the rows it read; for a provider another writer
/// changed while the statement waited for its row it writes nothing and answers Raced.</summary>
public sealed class PostgresClaimTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Postgres_NewConsumerThatFits_IsStoredWithOneBumpPerProvider()
    {
        await using var setup = await Setup.StartAsync();
        var a = await setup.ProviderAsync(("VCPU", PlacementSetup.Inventory(8)));
        var b = await setup.ProviderAsync(("VCPU", PlacementSetup.Inventory(8)), ("SRIOV_NET_VF", PlacementSetup.Inventory(8)));
        var before = await setup.GenerationsAsync();
        var consumer = PlacementSetup.NewUuid();

        (await setup.StoresAsync(Claim(consumer, (a, "VCPU", 2), (b, "SRIOV_NET_VF", 1), (b, "VCPU", 3)))).ShouldBeTrue();

        (await setup.GenerationsAsync()).ShouldBe(before.ToDictionary(g => g.Key, g => g.Value + 1));
        var stored = (await setup.Client.GetAsync($"allocations/{consumer}")).Json;
        stored["consumer_generation"]!.GetValue<int>().ShouldBe(1);
        stored["project_id"]!.GetValue<string>().ShouldBe("p1");
        stored["user_id"]!.GetValue<string>().ShouldBe("u1");
        stored["consumer_type"]!.GetValue<string>().ShouldBe("INSTANCE");
        stored["allocations"]![a]!["resources"]!.ToJsonString().ShouldBe("""{"VCPU":2}""");
        JsonNode.DeepEquals(stored["allocations"]![b]!["resources"], JsonNode.Parse("""{"SRIOV_NET_VF":1,"VCPU":3}""")).ShouldBeTrue();
        await UsageTable.ShouldMatchAllocationsAsync(setup.Connection, "after the claim");
    }

    [Fact]
    public async Task Postgres_ClaimFailingACheck_IsDeclinedAndWritesNothing()
    {
        await using var setup = await Setup.StartAsync();
        var (steps, ratio, existing) = (PlacementSetup.NewUuid(), PlacementSetup.NewUuid(), PlacementSetup.NewUuid());
        await DeclinedClaimTests.CreateStepsAndRatioAsync(setup.Client, steps, ratio, existing);

        (string Case, (string, string, int)[] Amounts)[] declined =
        [
            ("below min_unit, on step", [(steps, "VCPU", 2)]),
            ("above max_unit, on step", [(steps, "VCPU", 10)]),
            ("off step_size, within min and max", [(steps, "VCPU", 5)]),
            ("capacity with reserved and ratio: 5 used + 8 > 12", [(ratio, "VCPU", 8)]),
            ("capacity with a fractional ratio: 16 > 15", [(ratio, "SRIOV_NET_VF", 16)]),
            ("one of two providers over capacity", [(steps, "VCPU", 4), (ratio, "SRIOV_NET_VF", 16)]),
        ];
        var state = await setup.StateAsync();
        var generations = await setup.GenerationsAsync();
        foreach (var (name, amounts) in declined)
        {
            var outcome = await setup.TryAsync(Claim(PlacementSetup.NewUuid(), amounts));
            outcome.Result.ShouldBe(PostgresClaim.Result.Declined, name);
            (await setup.StateAsync()).ShouldBe(state, name);

            // the rows the checks read come back: generations, inventories and the others' usage
            var snapshot = outcome.Snapshot.ShouldNotBeNull(name);
            snapshot.Consumers.ShouldBeEmpty(name);
            snapshot.Previous.ShouldBeEmpty(name);
            snapshot.ProviderGenerations.ShouldBe(
                amounts.Select(a => a.Item1).Distinct().Select(p => KeyValuePair.Create(p, generations[p])), ignoreOrder: true, name);
            snapshot.Inventories.Keys.ShouldBe(amounts.Select(a => (a.Item1, a.Item2)), ignoreOrder: true, name);
        }

        var full = (await setup.TryAsync(Claim(PlacementSetup.NewUuid(), (ratio, "VCPU", 8)))).Snapshot!.Inventories[(ratio, "VCPU")];
        (full.Inventory.Total, full.Inventory.Reserved, full.Inventory.AllocationRatio, full.OthersUsed).ShouldBe((10, 2, 1.55, 5L));

        // what is missing is named by the general path, which reads the providers' other inventories
        (await setup.TryAsync(Claim(PlacementSetup.NewUuid(), (steps, "SRIOV_NET_VF", 1))))
            .ShouldBe(new PostgresClaim.Outcome(PostgresClaim.Result.General), "inventory of the class missing");
        (await setup.TryAsync(Claim(PlacementSetup.NewUuid(), (PlacementSetup.NewUuid(), "VCPU", 1))))
            .ShouldBe(new PostgresClaim.Outcome(PostgresClaim.Result.General), "unknown provider");
        (await setup.StateAsync()).ShouldBe(state, "missing inventory or provider");

        (await setup.TryAsync(Claim(existing, (steps, "VCPU", 4)))).ShouldBe(new PostgresClaim.Outcome(PostgresClaim.Result.General), "consumer exists");
        (await setup.StateAsync()).ShouldBe(state, "consumer exists");

        // the same classes at the limits fit
        (await setup.StoresAsync(Claim(PlacementSetup.NewUuid(), (steps, "VCPU", 8), (ratio, "VCPU", 7)))).ShouldBeTrue();
        (await setup.StoresAsync(Claim(PlacementSetup.NewUuid(), (ratio, "SRIOV_NET_VF", 15)))).ShouldBeTrue();
        (await setup.StoresAsync(Claim(PlacementSetup.NewUuid(), (steps, "VCPU", 4)))).ShouldBeTrue();
        (await UsageTable.StoredAsync(setup.Connection)).ShouldBe(
            [.. new[] { $"{steps} VCPU 12", $"{ratio} SRIOV_NET_VF 15", $"{ratio} VCPU 12" }.Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public async Task Postgres_ProviderBumpedByTheWriterItWaitedFor_IsDeclinedAndWritesNothing() =>
        await RaceAsync(blockedIndex: 0, providerCount: 1, commit: true);

    [Fact]
    public async Task Postgres_WriterItWaitedForRolledBack_ClaimIsStored() =>
        await RaceAsync(blockedIndex: 0, providerCount: 1, commit: false);

    [Fact]
    public async Task Postgres_SecondProviderBumpedWhileWaiting_UndoesTheFirstProvidersBump() =>
        await RaceAsync(blockedIndex: 1, providerCount: 2, commit: true);

    /// <summary>Another connection bumps one provider's generation in an open transaction; the claim blocks on that
    /// row; the blocker then commits (the claim must decline, having bumped nothing) or rolls back (it stores).</summary>
    private static async Task RaceAsync(int blockedIndex, int providerCount, bool commit)
    {
        await using var setup = await Setup.StartAsync();
        var providers = new List<string>();
        for (var i = 0; i < providerCount; i++)
        {
            providers.Add(await setup.ProviderAsync(("SRIOV_NET_VF", PlacementSetup.Inventory(8))));
        }

        providers.Sort(StringComparer.Ordinal);
        var before = await setup.GenerationsAsync();
        var consumer = PlacementSetup.NewUuid();
        await using var blocker = new NpgsqlConnection(setup.Database.ConnectionString);
        await blocker.OpenAsync(Cancellation);
        await using var transaction = await blocker.BeginTransactionAsync(Cancellation);
        await UsageTable.ExecuteAsync(blocker,
            $"""UPDATE "Providers" SET "Generation" = "Generation" + 1 WHERE "Uuid" = '{providers[blockedIndex]}'""");

        var claim = setup.TryAsync(Claim(consumer, [.. providers.Select(p => (p, "SRIOV_NET_VF", 1))]));
        await UsageTable.WaitForALockWaitAsync(setup.Connection);
        claim.IsCompleted.ShouldBeFalse();
        if (commit)
        {
            await transaction.CommitAsync(Cancellation);
        }
        else
        {
            await transaction.RollbackAsync(Cancellation);
        }

        (await claim).ShouldBe(new PostgresClaim.Outcome(commit ? PostgresClaim.Result.Raced : PostgresClaim.Result.Stored));
        var expected = before.ToDictionary(g => g.Key, g => g.Value + (commit ? (g.Key == providers[blockedIndex] ? 1 : 0) : 1));
        (await setup.GenerationsAsync()).ShouldBe(expected);
        (await UsageTable.ScalarAsync(setup.Connection, $"""SELECT count(*) FROM "Consumers" WHERE "Uuid" = '{consumer}'""")).ShouldBe(commit ? 0 : 1);
        (await UsageTable.ScalarAsync(setup.Connection, $"""SELECT count(*) FROM "Allocations" WHERE "ConsumerUuid" = '{consumer}'"""))
            .ShouldBe(commit ? 0 : providerCount);
        await UsageTable.ShouldMatchAllocationsAsync(setup.Connection, "after the race");
    }

    private static ConsumerWrite Claim(string consumer, params (string Provider, string Class, int Amount)[] amounts) => new(consumer,
        amounts.GroupBy(a => a.Provider).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, int>)g.ToDictionary(a => a.Class, a => a.Amount)),
        "p1", "u1", ChecksGeneration: true, ConsumerGeneration: null, "INSTANCE");

    /// <summary>A migrated PostgreSQL database with a server on it (providers and inventories go through the API) and a
    /// connection for SQL checks.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private Setup(PostgresTestDatabase database, PlacementServerFixture server, NpgsqlConnection connection)
        {
            Database = database;
            Server = server;
            Client = server.Client();
            Connection = connection;
        }

        public PostgresTestDatabase Database { get; }
        public PlacementServerFixture Server { get; }
        public PlacementClient Client { get; }
        public NpgsqlConnection Connection { get; }

        public static async Task<Setup> StartAsync()
        {
            var database = await PostgresTestDatabase.CreateAsync();
            var server = await PlacementServerFixture.StartAsync(database.ConnectionString);
            var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(Cancellation);
            return new Setup(database, server, connection);
        }

        public async Task<string> ProviderAsync(params (string Class, JsonObject Inventory)[] inventories)
        {
            var uuid = await Client.CreateProviderAsync($"claim-{Guid.NewGuid():N}");
            await Client.SetNewInventoriesAsync(uuid, inventories);
            return uuid;
        }

        /// <summary>The claim as AllocationWriter makes it: on its own context, connection open.</summary>
        public async Task<PostgresClaim.Outcome> TryAsync(ConsumerWrite write)
        {
            await using var db = new PostgresPlacementDb(new DbContextOptionsBuilder<PostgresPlacementDb>().UseNpgsql(Database.ConnectionString).Options);
            PostgresClaim.Applies(db, [write]).ShouldBeTrue();
            await db.Database.OpenConnectionAsync(Cancellation);
            return await PostgresClaim.TryAsync(db, write, Cancellation);
        }

        public async Task<bool> StoresAsync(ConsumerWrite write) => (await TryAsync(write)).Result == PostgresClaim.Result.Stored;

        public async Task<Dictionary<string, int>> GenerationsAsync()
        {
            await using var command = new NpgsqlCommand("""SELECT "Uuid", "Generation" FROM "Providers" ORDER BY "Uuid" """, Connection);
            await using var reader = await command.ExecuteReaderAsync(Cancellation);
            var generations = new Dictionary<string, int>(StringComparer.Ordinal);
            while (await reader.ReadAsync(Cancellation))
            {
                generations[reader.GetString(0)] = reader.GetInt32(1);
            }

            return generations;
        }

        /// <summary>Everything a claim could write: generations, consumers, allocations, usages.</summary>
        public async Task<string> StateAsync()
        {
            await using var command = new NpgsqlCommand("""
                SELECT string_agg(row, E'\n' ORDER BY row) FROM (
                    SELECT concat_ws(' ', 'provider', "Uuid", "Generation", "UpdatedAt") AS row FROM "Providers"
                    UNION ALL SELECT concat_ws(' ', 'consumer', "Uuid", "Generation") FROM "Consumers"
                    UNION ALL SELECT concat_ws(' ', 'allocation', "ConsumerUuid", "ProviderUuid", "ResourceClass", "Used") FROM "Allocations"
                    UNION ALL SELECT concat_ws(' ', 'usage', "ProviderUuid", "ResourceClass", "Used") FROM "Usages") AS state
                """, Connection);
            return (string)(await command.ExecuteScalarAsync(Cancellation))!;
        }

        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            Client.Dispose();
            await Server.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
