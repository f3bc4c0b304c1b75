using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>08 §8: provider aggregates and member_of.</summary>
public sealed class AggregateTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact]
    public async Task PA32_From119_GenerationCheckedAndBumped()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("agg-new");
        var aggregate = PlacementSetup.NewUuid();
        var set = await client.PutAsync($"resource_providers/{cn}/aggregates",
            new JsonObject { ["resource_provider_generation"] = 0, ["aggregates"] = new JsonArray(aggregate) });
        set.Status.ShouldBe(HttpStatusCode.OK);
        set.Json["resource_provider_generation"]!.GetValue<int>().ShouldBe(1);
        (await client.PutAsync($"resource_providers/{cn}/aggregates",
                new JsonObject { ["resource_provider_generation"] = 0, ["aggregates"] = new JsonArray() }))
            .ErrorCode.ShouldBe("placement.concurrent_update");
        var listed = (await client.GetAsync($"resource_providers?member_of={aggregate}")).Json["resource_providers"]!.AsArray();
        listed.Single()!["uuid"]!.GetValue<string>().ShouldBe(cn);
    }

    [Fact]
    public async Task PA32_Before119_BareListNeverBumps()
    {
        using var client = server.Client("1.18");
        var cn = await client.CreateProviderAsync("agg-old");
        var aggregate = PlacementSetup.NewUuid();
        var set = await client.PutAsync($"resource_providers/{cn}/aggregates", new JsonArray(aggregate));
        set.Json["aggregates"]!.AsArray().Single()!.GetValue<string>().ShouldBe(aggregate);
        set.Json["resource_provider_generation"].ShouldBeNull();
        (await client.GetAsync($"resource_providers/{cn}")).Json["generation"]!.GetValue<int>().ShouldBe(0);
    }

    [Theory]
    [InlineData("""["not-a-uuid"]""", "'not-a-uuid' is not a 'uuid'", "'format' in schema['items']")]
    [InlineData("""["11111111-1111-1111-1111-111111111111", "11111111-1111-1111-1111-111111111111"]""",
        "['11111111-1111-1111-1111-111111111111', '11111111-1111-1111-1111-111111111111'] has non-unique elements",
        "'uniqueItems' in schema")]
    [InlineData("""["abc", "abc"]""", "['abc', 'abc'] has non-unique elements", "'uniqueItems' in schema")] // differential finding
    public async Task PA32_BadItems_Are400_InJsonschemasWords(string aggregates, string message, string failed)
    {
        using var client = server.Client("1.18");
        var cn = await client.CreateProviderAsync($"agg-bad-{Guid.NewGuid():N}");

        var refused = await client.PutAsync($"resource_providers/{cn}/aggregates", JsonNode.Parse(aggregates));

        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.ErrorDetail.ShouldStartWith($"JSON does not validate: {message}");
        refused.ErrorDetail.ShouldContain($"Failed validating {failed}");
    }

    [Fact]
    public async Task PA32_BodyIsCheckedBeforeTheGeneration_AndThePutAnswersInItsOrder()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync($"agg-order-{Guid.NewGuid():N}");
        const string Later = "f918801a-5e54-4bee-9095-09a9d0c786b8", Earlier = "a893eb5c-e2a0-4251-ab26-f71d3b0cfc0b";

        var invalid = await client.PutAsync($"resource_providers/{cn}/aggregates",
            new JsonObject { ["resource_provider_generation"] = 99, ["aggregates"] = new JsonArray("harry") });
        invalid.Status.ShouldBe(HttpStatusCode.BadRequest);
        invalid.ErrorDetail.ShouldContain("Failed validating 'format' in schema['properties']['aggregates']['items']");

        var set = await client.PutAsync($"resource_providers/{cn}/aggregates",
            new JsonObject { ["resource_provider_generation"] = 0, ["aggregates"] = new JsonArray(Later, Earlier) });
        set.Json["aggregates"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe([Later, Earlier]);
    }

    [Fact]
    public async Task PA31_MemberOfGrammar()
    {
        using var client = server.Client();
        var a = PlacementSetup.NewUuid();
        var b = PlacementSetup.NewUuid();
        var inA = await client.CreateProviderAsync("agg-in-a");
        var inB = await client.CreateProviderAsync("agg-in-b");
        await client.PutAsync($"resource_providers/{inA}/aggregates", new JsonObject { ["resource_provider_generation"] = 0, ["aggregates"] = new JsonArray(a) });
        await client.PutAsync($"resource_providers/{inB}/aggregates", new JsonObject { ["resource_provider_generation"] = 0, ["aggregates"] = new JsonArray(b) });

        Uuids(await client.GetAsync($"resource_providers?member_of=in:{a},{b}")).ShouldBe([inA, inB], ignoreOrder: true);
        Uuids(await client.GetAsync($"resource_providers?member_of=in:{a},{b}&member_of=!{a}")).ShouldBe([inB]);
        (await client.GetAsync($"resource_providers?member_of={a},{b}")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("resource_providers?member_of=nope")).Status.ShouldBe(HttpStatusCode.BadRequest);
        using var old = server.Client("1.31");
        (await old.GetAsync($"resource_providers?member_of=!{a}")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PA31_AListWithoutIn_SaysToPrefixIt()
    {
        using var client = server.Client();
        var response = await client.GetAsync(
            $"allocation_candidates?resources=VCPU:1&member_of={PlacementSetup.NewUuid()},{PlacementSetup.NewUuid()}");
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldContain(
            "Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion.");
    }

    private static List<string> Uuids(PlacementResponse response) =>
        [.. response.Json["resource_providers"]!.AsArray().Select(p => p!["uuid"]!.GetValue<string>())];
}
