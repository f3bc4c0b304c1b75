using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>Placement's request parsers over real HTTP, fed generated queries, microversions and bodies: every request
/// gets an answer or a 4xx error in Placement's error shape (PA-15), never a 500; and a refused write leaves everything
/// already stored as it was.</summary>
public sealed class RequestFuzzTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    /// <summary>Fewer for raw bodies: their kinds are few, and each iteration reads everything stored twice.</summary>
    private const int RawIterations = 150;

    private const int Iterations = 300;

    private static readonly Gen<string> _version = Gen.Frequency(
        (6, Gen.Int[0, 40].Select(minor => $"1.{minor}")),
        (1, Gen.OneOf("latest", "1.99", "2.0", "1", "1.", ".1", "01.10", "1.1a", "abc", "", "1.-1", "1.99999999999999999999")));

    private static Gen<string> Token(World world) => Gen.Frequency(
        (4, Gen.OneOf("VCPU", "SRIOV_NET_VF", "CUSTOM_FUZZ", "DISK_GB", "vcpu", "CUSTOM_", "HW_CPU_X86_AVX", "CUSTOM_FUZZ_TRAIT",
            "MISC_SHARES_VIA_AGGREGATE", world.Root, world.Child, world.Aggregate, PlacementSetup.NewUuid(), "not-a-uuid")),
        (4, Gen.OneOf(":", ",", "!", "in:", "!in:", ":1", ":0", ":-1", "1", "0", "-3", "1.5", "2147483648",
            "99999999999999999999", "", " ", "%", "%zz", "%00", "é", "☃", "=", "&", "+", ";", "none", "isolate", "true")),
        (1, Gen.String[Gen.Char["abcXYZ019:,!_- .%é"], 0, 12]));

    private static Gen<string> Value(World world) => Token(world).Array[0, 6].Select(parts => string.Concat(parts));

    private static readonly Gen<string> _parameter = Gen.OneOf("resources", "resources1", "resources_A", "resources1a",
        "resources_", "required", "required1", "required_A", "member_of", "member_of1", "in_tree", "in_tree1",
        "same_subtree", "root_required", "limit", "group_policy", "name", "uuid", "project_id", "user_id",
        "consumer_type", "associated", "only", "foo", "");

    private static readonly Gen<string> _suffix = Gen.OneOf("", "", "1", "2", "_A", "_NET");

    /// <summary>Parameters as clients write them (so that some queries get candidates), with odd values mixed in.</summary>
    private static Gen<string> WellFormedParameter(World world)
    {
        var amount = Gen.OneOf("1", "1", "2", "0", "-1", "16", "2147483648");
        var resources = Gen.Select(Gen.OneOf("VCPU", "SRIOV_NET_VF", "CUSTOM_FUZZ", "DISK_GB"), amount, (c, a) => $"{c}:{a}").Array[1, 3]
            .Select(parts => string.Join(',', parts));
        var trait = Gen.Select(Gen.OneOf("", "!", "in:"), Gen.OneOf("HW_CPU_X86_AVX", "CUSTOM_FUZZ_TRAIT", "MISC_SHARES_VIA_AGGREGATE"),
            (prefix, name) => prefix + name).Array[1, 2].Select(parts => string.Join(',', parts));
        var aggregate = Gen.Select(Gen.OneOf("", "!", "in:", "!in:"), Gen.OneOf(world.Aggregate, PlacementSetup.NewUuid()),
            (prefix, uuid) => prefix + uuid);
        return Gen.OneOf(
            Gen.Select(_suffix, resources, (s, r) => $"resources{s}={r}"),
            Gen.Select(_suffix, resources, (s, r) => $"resources{s}={r}"),
            Gen.Select(_suffix, trait, (s, t) => $"required{s}={t}"),
            Gen.Select(_suffix, aggregate, (s, a) => $"member_of{s}={a}"),
            Gen.Select(_suffix, Gen.OneOf(world.Root, world.Child, PlacementSetup.NewUuid()), (s, u) => $"in_tree{s}={u}"),
            Gen.OneOf("same_subtree=_A,_NET", "same_subtree=_A", "same_subtree=1,2"),
            trait.Select(t => $"root_required={t}"),
            Gen.OneOf("limit=1", "limit=3", "limit=0", "limit=-2"),
            Gen.OneOf("group_policy=none", "group_policy=isolate", "group_policy=bogus"));
    }

    private static Gen<string> Query(World world) => Gen.Frequency(
            (3, WellFormedParameter(world)),
            (2, Gen.Select(_parameter, Value(world), Gen.Bool,
                (name, value, escaped) => $"{name}={(escaped ? Uri.EscapeDataString(value) : value)}")))
        .Array[0, 5].Select(pairs => string.Join('&', pairs));

    [Fact]
    public async Task PA15_AnyQuery_AnswersOrGivesAPlacementError()
    {
        var world = await World.CreateAsync(server);
        var path = Gen.OneOf("allocation_candidates", "resource_providers", "usages", "traits", "resource_classes",
            $"resource_providers/{world.Child}/inventories", $"resource_providers/{world.Child}/usages",
            $"resource_providers/{world.Child}/allocations", $"allocations/{world.Consumer}", $"resource_providers/{world.Root}");
        await Gen.Select(path, Query(world), _version).SampleAsync(async (where, query, version) =>
        {
            using var client = server.Client(version);
            var response = await client.GetAsync($"{where}?{query}");
            ShouldBeAnAnswerOrAPlacementError(server, response, $"GET {where}?{query} at {version}");
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public Task PA15_AnyMutatedBody_AnswersOrRefusesWithoutChangingAnything() => MutatedBodiesAsync(server);

    /// <summary>The same on PostgreSQL, whose claims take their own statement (<c>PostgresClaim</c>).</summary>
    [Fact]
    public async Task PA15_AnyMutatedBody_OnPostgreSql_AnswersOrRefusesWithoutChangingAnything()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var replica = await PlacementServerFixture.StartAsync(database.ConnectionString);
        await MutatedBodiesAsync(replica);
    }

    private static async Task MutatedBodiesAsync(PlacementServerFixture server)
    {
        var world = await World.CreateAsync(server);
        using var latest = server.Client();
        await Gen.Select(Gen.Int[0, _writes.Length - 1], JsonFuzz.Mutation(Token(world)).Array[1, 3], _version)
            .SampleAsync(async (write, mutations, version) =>
            {
                using var client = server.Client(version);
                var (method, path, body) = await _writes[write](latest, world);
                var text = mutations.Aggregate(body.ToJsonString(), (json, mutate) => mutate(json));
                var before = await world.DigestAsync(latest);
                using var request = new HttpRequestMessage(method, path) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
                using var sent = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
                var answer = await sent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                var response = new PlacementResponse(sent.StatusCode,
                    sent.Content.Headers.ContentType?.MediaType == "application/json" && answer.Length > 0 ? JsonNode.Parse(answer) : null,
                    sent.Headers, answer);
                var what = $"{method} {path} at {version}: {text}";
                ShouldBeAnAnswerOrAPlacementError(server, response, what);
                if ((int)response.Status >= 400)
                {
                    (await world.DigestAsync(latest)).ShouldBe(before, $"a refused write changed what was stored: {what} → {response.Text}");
                }
            }, iter: Iterations, threads: 1);
    }

    /// <summary>Bodies that are not JSON text (<see cref="JsonFuzz.RawBody"/>) under any Content-Type, and odd path
    /// segments, for every write and lookup: a 4xx in Placement's shape, never a 500; nothing stored changes.</summary>
    [Fact]
    public async Task PA15_AnyRawBodyOrPathSegment_AnswersOrGivesAPlacementError()
    {
        var world = await World.CreateAsync(server);
        using var client = server.Client();
        var segment = JsonFuzz.Segment(Token(world));
        var route = Gen.OneOf(
            Gen.Const((HttpMethod.Post, "allocations")), Gen.Const((HttpMethod.Post, "resource_providers")),
            Gen.Const((HttpMethod.Post, "reshaper")), Gen.Const((HttpMethod.Post, "resource_classes")),
            Gen.Const((HttpMethod.Put, $"resource_providers/{world.Child}/inventories")),
            Gen.Const((HttpMethod.Put, $"resource_providers/{world.Child}/traits")),
            Gen.Const((HttpMethod.Put, $"resource_providers/{world.Child}/aggregates")),
            segment.Select(s => (HttpMethod.Put, $"allocations/{s}")), segment.Select(s => (HttpMethod.Put, $"resource_providers/{s}")),
            segment.Select(s => (HttpMethod.Put, $"resource_providers/{world.Child}/inventories/{s}")),
            segment.Select(s => (HttpMethod.Put, $"resource_classes/{s}")), segment.Select(s => (HttpMethod.Put, $"traits/{s}")),
            segment.Select(s => (HttpMethod.Get, $"resource_providers/{s}/allocations")), segment.Select(s => (HttpMethod.Get, $"allocations/{s}")),
            segment.Select(s => (HttpMethod.Delete, $"resource_providers/{s}")), segment.Select(s => (HttpMethod.Delete, $"traits/{s}")),
            segment.Select(s => (HttpMethod.Get, $"resource_providers/{world.Child}/inventories/{s}")));
        await Gen.Select(route, JsonFuzz.RawBody, JsonFuzz.ContentType, _version).SampleAsync(async (call, body, type, version) =>
        {
            var (method, path) = call;
            var before = await world.DigestAsync(client);
            using var versioned = server.Client(version);
            using var content = JsonFuzz.Content(body, type);
            using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : content };
            using var sent = await versioned.Http.SendAsync(request, TestContext.Current.CancellationToken);
            var answer = await sent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            var what = $"{method} {path} at {version} ({type}): {Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 40)))}";
            ShouldBeAnAnswerOrAPlacementError(server, new PlacementResponse(sent.StatusCode,
                sent.Content.Headers.ContentType?.MediaType == "application/json" && answer.Length > 0 ? JsonNode.Parse(answer) : null,
                sent.Headers, answer), what);
            if ((int)sent.StatusCode >= 400)
            {
                (await world.DigestAsync(client)).ShouldBe(before, $"a refused write changed what was stored: {what} → {answer}");
            }
        }, iter: RawIterations, threads: 1);
    }

    private static void ShouldBeAnAnswerOrAPlacementError(PlacementServerFixture server, PlacementResponse response, string what)
    {
        ((int)response.Status).ShouldBeLessThan(500, $"{what} → {response.Text}\nserver errors:\n{server.Errors.Recent()}");
        if ((int)response.Status >= 400 && response.Body is not null)
        {
            var error = response.Json["errors"]![0]!;
            error["status"]!.GetValue<int>().ShouldBe((int)response.Status, what);
            error["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace(what);
            error["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace(what);
        }
    }

    /// <summary>A valid body for each write of the API, at the provider's current generation (read with the client
    /// given, at the latest version); mutations break it.</summary>
    private static readonly Func<PlacementClient, World, Task<(HttpMethod, string, JsonNode)>>[] _writes =
    [
        async (_, world) => (HttpMethod.Put, $"allocations/{PlacementSetup.NewUuid()}",
            PlacementSetup.Allocation(null, (world.Child, "SRIOV_NET_VF", 1), (world.Root, "VCPU", 1))),
        async (_, world) => (HttpMethod.Post, "allocations", new JsonObject
        {
            [PlacementSetup.NewUuid()] = PlacementSetup.Allocation(null, (world.Child, "SRIOV_NET_VF", 1)),
            [world.Consumer] = PlacementSetup.Allocation(1, (world.Root, "VCPU", 2)),
        }),
        async (client, world) => (HttpMethod.Put, $"resource_providers/{world.Child}/inventories", new JsonObject
        {
            ["resource_provider_generation"] = await world.GenerationAsync(client, world.Child),
            ["inventories"] = new JsonObject { ["SRIOV_NET_VF"] = PlacementSetup.Inventory(16, max: 4), ["CUSTOM_FUZZ"] = PlacementSetup.Inventory(3) },
        }),
        async (client, world) => (HttpMethod.Post, $"resource_providers/{world.Child}/inventories", new JsonObject
        {
            ["resource_class"] = "DISK_GB",
            ["total"] = 100,
            ["reserved"] = 1,
            ["resource_provider_generation"] = await world.GenerationAsync(client, world.Child),
        }),
        async (_, world) => (HttpMethod.Post, "resource_providers", new JsonObject
        {
            ["name"] = $"fuzz-{Guid.NewGuid():N}",
            ["uuid"] = PlacementSetup.NewUuid(),
            ["parent_provider_uuid"] = world.Root,
        }),
        async (_, world) => (HttpMethod.Put, $"resource_providers/{world.Child}", new JsonObject
        {
            ["name"] = $"fuzz-child-{Guid.NewGuid():N}",
            ["parent_provider_uuid"] = world.Root,
        }),
        async (client, world) => (HttpMethod.Put, $"resource_providers/{world.Child}/traits", new JsonObject
        {
            ["resource_provider_generation"] = await world.GenerationAsync(client, world.Child),
            ["traits"] = new JsonArray("CUSTOM_FUZZ_TRAIT", "HW_CPU_X86_AVX"),
        }),
        async (client, world) => (HttpMethod.Put, $"resource_providers/{world.Child}/aggregates", new JsonObject
        {
            ["resource_provider_generation"] = await world.GenerationAsync(client, world.Child),
            ["aggregates"] = new JsonArray(world.Aggregate),
        }),
        async (client, world) => (HttpMethod.Post, "reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject
            {
                [world.Child] = new JsonObject
                {
                    ["resource_provider_generation"] = await world.GenerationAsync(client, world.Child),
                    ["inventories"] = new JsonObject { ["SRIOV_NET_VF"] = PlacementSetup.Inventory(16, max: 4) },
                },
            },
            ["allocations"] = new JsonObject { [world.Consumer] = PlacementSetup.Allocation(1, (world.Child, "SRIOV_NET_VF", 2)) },
        }),
    ];

    /// <summary>A root with a VCPU inventory, a child with VFs in an aggregate, and a consumer of both.</summary>
    private sealed record World(string Root, string Child, string Aggregate, string Consumer)
    {
        public static async Task<World> CreateAsync(PlacementServerFixture server)
        {
            using var client = server.Client();
            var root = await client.CreateProviderAsync($"fuzz-root-{Guid.NewGuid():N}");
            var child = await client.CreateProviderAsync($"fuzz-child-{Guid.NewGuid():N}", root);
            await client.SetInventoryAsync(root, ("VCPU", 8));
            await client.SetInventoryAsync(child, ("SRIOV_NET_VF", 16));
            await client.CreateResourceClassAsync("CUSTOM_FUZZ");
            await client.CreateTraitAsync("CUSTOM_FUZZ_TRAIT");
            var world = new World(root, child, PlacementSetup.NewUuid(), PlacementSetup.NewUuid());
            await client.SetAggregatesAsync(child, world.Aggregate);
            (await client.PutAsync($"allocations/{world.Consumer}",
                PlacementSetup.Allocation(null, (child, "SRIOV_NET_VF", 2), (root, "VCPU", 1)))).Status.ShouldBe(HttpStatusCode.NoContent);
            return world;
        }

        public async Task<int> GenerationAsync(PlacementClient client, string provider) =>
            (await client.GetAsync($"resource_providers/{provider}")).Json["generation"]!.GetValue<int>();

        /// <summary>What a write could change: every provider with its generation (a refused write must bump none),
        /// the child's inventories, traits and aggregates, and the consumer's allocations.</summary>
        public async Task<string> DigestAsync(PlacementClient client)
        {
            var parts = new List<string>();
            foreach (var path in new[]
                     {
                         "resource_providers", $"resource_providers/{Child}/inventories", $"resource_providers/{Child}/traits",
                         $"resource_providers/{Child}/aggregates", $"allocations/{Consumer}", "resource_classes", "traits",
                     })
            {
                parts.Add((await client.GetAsync(path)).Text);
            }

            return string.Join('\n', parts);
        }
    }
}
