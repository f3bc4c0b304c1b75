using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>PostgreSQL's Usages table is kept by triggers on the allocations table: whichever API writes allocations (PUT new,
/// replacing or emptying, before and from 1.28; POST of several consumers; DELETE; the reshaper's move; a custom
/// class renamed under its allocations), after each write it holds exactly the allocations summed per provider and
/// class, and the usages API agrees. SQLite has no such table (it sums the allocations): there the API alone is
/// checked. The sequence is random; its seed is in every failure message, and <see cref="SeedVariable"/> replays one.</summary>
public sealed class UsageTriggerTests
{
    private const int Steps = 160, Total = 12;
    private const string SeedVariable = "PCIPASSTHROUGH_TEST_USAGE_SEED";
    private static readonly string[] _operations = ["put", "put 1.27", "put empty", "post", "delete", "reshape", "rename class"];

    [Fact]
    public async Task Sqlite_RandomAllocationWrites_UsagesApiIsTheSumOfAllocations()
    {
        using var database = new SqliteTestDatabase();
        await RandomWritesKeepUsagesAsync(database.ConnectionString, database.Connect, usagesTable: false);
    }

    [Fact]
    public async Task Postgres_RandomAllocationWrites_KeepUsagesTheSumOfAllocations()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await RandomWritesKeepUsagesAsync(database.ConnectionString, () => new NpgsqlConnection(database.ConnectionString), usagesTable: true);
    }

    private static async Task RandomWritesKeepUsagesAsync(string database, Func<DbConnection> connect, bool usagesTable)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var given) ? given : Random.Shared.Next();
        await using var server = await PlacementServerFixture.StartAsync(database);
        using var client = server.Client();
        string[] classes = ["VCPU", "MEMORY_MB", "CUSTOM_USAGE_0"];
        await client.CreateResourceClassAsync(classes[2]);
        var providers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var provider = await client.CreateProviderAsync($"usages-pf{i}");
            await client.SetInventoryAsync(provider, [.. classes.Select(c => (c, Total))]);
            providers.Add(provider);
        }

        await using var connection = connect();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        using var run = new RandomWrites(server, new Random(seed), providers, classes, [.. Enumerable.Range(0, 8).Select(_ => PlacementSetup.NewUuid())]);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        for (var step = 0; step < Steps; step++)
        {
            var (operation, response) = await run.StepAsync();
            var context = $"seed {seed} ({SeedVariable}), step {step}: {operation} answered {(int)response.Status} {response.Text}";
            var success = operation == "rename class" ? HttpStatusCode.OK : HttpStatusCode.NoContent;
            response.Status.ShouldBeOneOf([success, HttpStatusCode.Conflict, HttpStatusCode.NotFound], context);
            if (response.Status == HttpStatusCode.Conflict)
            {
                response.ErrorDetail.ShouldContain("would exceed the capacity", Case.Sensitive, context);
            }
            else if (response.Status == HttpStatusCode.NotFound)
            {
                operation.ShouldBe("delete", context);
            }
            else
            {
                stored.Add(operation);
            }

            if (usagesTable)
            {
                await UsageTable.ShouldMatchAllocationsAsync(connection, context);
            }

            (await ApiUsagesAsync(client, providers)).ShouldBe(await UsageTable.SummedAsync(connection), context);
        }

        stored.Order(StringComparer.Ordinal).ShouldBe(_operations.Order(StringComparer.Ordinal), $"seed {seed}: each kind of write stored at least once");
    }

    /// <summary>Two replicas write at once, each its own random sequence on the same providers and consumers (every
    /// kind of write but the rename, which would pull the class from under the other): whatever interleaving the
    /// database chose, the Usages table is still the sum of the allocations, and no class of any provider is allocated
    /// beyond its capacity.</summary>
    [Fact]
    public async Task Postgres_ConcurrentRandomWritesOnTwoReplicas_KeepUsagesTheSumAndWithinCapacity()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var given) ? given : Random.Shared.Next();
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var first = await PlacementServerFixture.StartAsync(database.ConnectionString);
        await using var second = await PlacementServerFixture.StartAsync(database.ConnectionString);
        using var client = first.Client();
        string[] classes = ["VCPU", "MEMORY_MB", "SRIOV_NET_VF"];
        var providers = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var provider = await client.CreateProviderAsync($"concurrent-pf{i}");
            await client.SetInventoryAsync(provider, [.. classes.Select(c => (c, Total))]);
            providers.Add(provider);
        }

        List<string> consumers = [.. Enumerable.Range(0, 6).Select(_ => PlacementSetup.NewUuid())];
        string[] operations = [.. _operations.Where(o => o != "rename class")];
        var stored = await Task.WhenAll(new[] { first, second }.Select((replica, index) => Task.Run(async () =>
        {
            using var run = new RandomWrites(replica, new Random(seed + index), providers, classes, consumers, operations);
            var kinds = new HashSet<string>(StringComparer.Ordinal);
            for (var step = 0; step < Steps; step++)
            {
                var (operation, response) = await run.StepAsync();
                var context = $"seed {seed} ({SeedVariable}), replica {index}, step {step}: {operation} answered {(int)response.Status} {response.Text}";
                response.Status.ShouldBeOneOf([HttpStatusCode.NoContent, HttpStatusCode.Conflict, HttpStatusCode.NotFound], context);
                if (response.Status == HttpStatusCode.NotFound)
                {
                    operation.ShouldBe("delete", context);
                }
                else if (response.Status == HttpStatusCode.NoContent)
                {
                    kinds.Add(operation);
                }
            }

            return kinds;
        }, TestContext.Current.CancellationToken)));

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await UsageTable.ShouldMatchAllocationsAsync(connection, $"seed {seed}");
        var summed = await UsageTable.SummedAsync(connection);
        summed.ShouldAllBe(row => long.Parse(row.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture) <= Total, $"seed {seed}");
        (await ApiUsagesAsync(client, providers)).ShouldBe(summed, $"seed {seed}");
        stored.SelectMany(k => k).Distinct().Count().ShouldBeGreaterThan(3, $"seed {seed}: most kinds of write stored at least once");
    }

    /// <summary>GET /resource_providers/{u}/usages of each provider, as <see cref="UsageTable"/> rows.</summary>
    private static async Task<List<string>> ApiUsagesAsync(PlacementClient client, IEnumerable<string> providers)
    {
        var rows = new List<string>();
        foreach (var provider in providers)
        {
            var usages = (await client.GetAsync($"resource_providers/{provider}/usages")).Json["usages"]!.AsObject();
            rows.AddRange(usages.Where(u => u.Value!.GetValue<long>() != 0).Select(u => $"{provider} {u.Key} {u.Value}"));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>One random allocation write per step, each consumer's generation read just before, so a 409 can only
    /// be capacity. <paramref name="classes"/>' last one is the custom class, renamed in place.</summary>
    private sealed class RandomWrites(PlacementServerFixture server, Random random, List<string> providers, string[] classes, List<string> consumers,
        string[]? operations = null)
        : IDisposable
    {
        private readonly PlacementClient _client = server.Client();
        private readonly PlacementClient _before128 = server.Client("1.27");
        private readonly PlacementClient _before17 = server.Client("1.6");
        private int _renames;

        public void Dispose()
        {
            _client.Dispose();
            _before128.Dispose();
            _before17.Dispose();
        }

        public async Task<(string Operation, PlacementResponse Response)> StepAsync()
        {
            var consumer = consumers[random.Next(consumers.Count)];
            var kinds = operations ?? _operations;
            var operation = kinds[random.Next(kinds.Length)];
            return operation switch
            {
                "put" => (operation, await _client.PutAsync($"allocations/{consumer}",
                    PlacementSetup.Allocation(await GenerationAsync(consumer), Amounts()))),
                "put 1.27" => (operation, await _before128.PutAsync($"allocations/{consumer}", Before128(Amounts()))),
                "put empty" => (operation, await _client.PutAsync($"allocations/{consumer}",
                    PlacementSetup.Allocation(await GenerationAsync(consumer)))),
                "post" => (operation, await _client.PostAsync("allocations", await SeveralAsync())),
                "delete" => (operation, await _client.DeleteAsync($"allocations/{consumer}")),
                "reshape" => await ReshapeAsync(),
                _ => (operation, await RenameAsync()),
            };
        }

        /// <summary>1.2–1.6: the custom class gets a new name, under its inventories and allocations.</summary>
        private async Task<PlacementResponse> RenameAsync()
        {
            var renamed = $"CUSTOM_USAGE_{++_renames}";
            var response = await _before17.PutAsync($"resource_classes/{classes[^1]}", new JsonObject { ["name"] = renamed });
            classes[^1] = renamed;
            return response;
        }

        /// <summary>1 to 3 distinct (provider, class) pairs, 1 to 6 each.</summary>
        private (string Provider, string Class, int Amount)[] Amounts() =>
        [
            .. providers.SelectMany(p => classes.Select(c => (Provider: p, Class: c))).OrderBy(_ => random.Next())
                .Take(random.Next(1, 4)).Select(pair => (pair.Provider, pair.Class, random.Next(1, 7))),
        ];

        private async Task<int?> GenerationAsync(string consumer) =>
            (await _client.GetAsync($"allocations/{consumer}")).Json["consumer_generation"]?.GetValue<int>();

        private static JsonObject Before128((string Provider, string Class, int Amount)[] amounts)
        {
            var body = PlacementSetup.Allocation(null, amounts);
            body.Remove("consumer_generation");
            body.Remove("consumer_type");
            return body;
        }

        /// <summary>2 or 3 consumers, each emptied (one in three) or given new allocations.</summary>
        private async Task<JsonObject> SeveralAsync()
        {
            var body = new JsonObject();
            foreach (var consumer in consumers.OrderBy(_ => random.Next()).Take(random.Next(2, 4)).ToList())
            {
                body[consumer] = PlacementSetup.Allocation(await GenerationAsync(consumer), random.Next(3) == 0 ? [] : Amounts());
            }

            return body;
        }

        /// <summary>Moves every allocation of a consumer that has some onto one provider, whose inventory the request
        /// restates unchanged; a plain PUT when no consumer has allocations.</summary>
        private async Task<(string, PlacementResponse)> ReshapeAsync()
        {
            foreach (var consumer in consumers.OrderBy(_ => random.Next()).ToList())
            {
                var current = (await _client.GetAsync($"allocations/{consumer}")).Json;
                var allocations = current["allocations"]!.AsObject();
                if (allocations.Count == 0)
                {
                    continue;
                }

                var target = providers[random.Next(providers.Count)];
                var moved = allocations.SelectMany(p => p.Value!["resources"]!.AsObject())
                    .GroupBy(r => r.Key, StringComparer.Ordinal)
                    .Select(g => (target, g.Key, g.Sum(r => r.Value!.GetValue<int>()))).ToArray();
                var inventories = (await _client.GetAsync($"resource_providers/{target}/inventories")).Json;
                return ("reshape", await _client.PostAsync("reshaper", new JsonObject
                {
                    ["inventories"] = new JsonObject { [target] = inventories.DeepClone() },
                    ["allocations"] = new JsonObject
                    {
                        [consumer] = PlacementSetup.Allocation(current["consumer_generation"]!.GetValue<int>(), moved),
                    },
                }));
            }

            var fresh = consumers[random.Next(consumers.Count)];
            return ("put", await _client.PutAsync($"allocations/{fresh}", PlacementSetup.Allocation(null, Amounts())));
        }
    }
}
