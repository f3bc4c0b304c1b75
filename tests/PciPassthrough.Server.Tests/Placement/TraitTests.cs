using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>08 §7: traits and provider traits.</summary>
public sealed class TraitTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact] // example 8
    public async Task PA30_UnknownTraitIs400_AfterCreateIs200AndBumps()
    {
        using var client = server.Client();
        var pf = await client.CreateProviderAsync("trait-pf");
        var body = new JsonObject { ["resource_provider_generation"] = 0, ["traits"] = new JsonArray("CUSTOM_PHYSNET_A") };
        (await client.PutAsync($"resource_providers/{pf}/traits", body.DeepClone())).ErrorDetail.ShouldContain("CUSTOM_PHYSNET_A");
        (await client.PutAsync("traits/CUSTOM_PHYSNET_A", null)).Status.ShouldBe(HttpStatusCode.Created);
        var set = await client.PutAsync($"resource_providers/{pf}/traits", body.DeepClone());
        set.Status.ShouldBe(HttpStatusCode.OK);
        set.Json["resource_provider_generation"]!.GetValue<int>().ShouldBe(1);
        (await client.PutAsync($"resource_providers/{pf}/traits", body.DeepClone())).ErrorCode.ShouldBe("placement.concurrent_update");
    }

    [Fact]
    public async Task PA30_SameSetDoesNotBump()
    {
        using var client = server.Client();
        var pf = await client.CreateProviderAsync("trait-same");
        await client.SetTraitsAsync(pf, "HW_CPU_X86_AVX2");
        await client.SetTraitsAsync(pf, "HW_CPU_X86_AVX2");
        var shown = (await client.GetAsync($"resource_providers/{pf}/traits")).Json;
        shown["resource_provider_generation"]!.GetValue<int>().ShouldBe(1);
        shown["traits"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["HW_CPU_X86_AVX2"]);
        (await client.DeleteAsync($"resource_providers/{pf}/traits")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.GetAsync($"resource_providers/{pf}/traits")).Json["traits"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task PA29_ListFilters_AndCustomLifecycle()
    {
        using var client = server.Client();
        await client.CreateTraitAsync("CUSTOM_LISTED_ONE");
        await client.CreateTraitAsync("CUSTOM_LISTED_TWO");
        var pf = await client.CreateProviderAsync("trait-list");
        await client.SetTraitsAsync(pf, "CUSTOM_LISTED_ONE");

        Names(await client.GetAsync("traits?name=startswith:CUSTOM_LISTED")).ShouldBe(["CUSTOM_LISTED_ONE", "CUSTOM_LISTED_TWO"]);
        Names(await client.GetAsync("traits?name=in:CUSTOM_LISTED_TWO,COMPUTE_NODE")).ShouldBe(["COMPUTE_NODE", "CUSTOM_LISTED_TWO"]);
        Names(await client.GetAsync("traits?name=startswith:CUSTOM_LISTED&associated=true")).ShouldBe(["CUSTOM_LISTED_ONE"]);
        (await client.GetAsync("traits?name=CUSTOM_LISTED_ONE")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("traits?associated=maybe")).Status.ShouldBe(HttpStatusCode.BadRequest);

        (await client.GetAsync("traits/CUSTOM_LISTED_TWO")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.PutAsync("traits/NOT_CUSTOM", null)).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.DeleteAsync("traits/COMPUTE_NODE")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.DeleteAsync("traits/CUSTOM_LISTED_ONE")).Status.ShouldBe(HttpStatusCode.Conflict);
        (await client.DeleteAsync("traits/CUSTOM_LISTED_TWO")).Status.ShouldBe(HttpStatusCode.NoContent);
        var gone = await client.DeleteAsync("traits/CUSTOM_LISTED_TWO");
        gone.Status.ShouldBe(HttpStatusCode.NotFound);
        gone.ErrorDetail.ShouldBe("No such trait(s): CUSTOM_LISTED_TWO."); // Placement's wording, full stop included
        (await client.GetAsync("traits/CUSTOM_NEVER_MADE")).ErrorDetail.ShouldBe("No such trait(s): CUSTOM_NEVER_MADE.");
    }

    [Fact] // differential finding: Placement lists traits by id: the standard ones, then custom ones as created
    public async Task PA29_CustomTraitsListedAfterTheStandardOnes_InCreationOrder()
    {
        using var client = server.Client();
        await client.CreateTraitAsync("CUSTOM_ORDER_Z");
        await client.CreateTraitAsync("CUSTOM_ORDER_A");

        Names(await client.GetAsync("traits?name=startswith:CUSTOM_ORDER_")).ShouldBe(["CUSTOM_ORDER_Z", "CUSTOM_ORDER_A"]);
        var all = Names(await client.GetAsync("traits"));
        all.IndexOf("CUSTOM_ORDER_Z").ShouldBeGreaterThan(all.IndexOf("HW_CPU_X86_AVX2"));
    }

    [Fact]
    public async Task PA29_InvalidName_ExplainsTheRule_ExistingPutIs204WithLocation()
    {
        using var client = server.Client("1.6");
        (await client.PutAsync("traits/TRAIT_X", null)).ErrorDetail.ShouldBe("The trait is invalid. A valid trait must be no " +
            "longer than 255 characters, start with the prefix \"CUSTOM_\" and use following characters: \"A\"-\"Z\", " +
            "\"0\"-\"9\" and \"_\"");
        (await client.PutAsync("traits/CUSTOM_AGAIN", null)).Status.ShouldBe(HttpStatusCode.Created);
        var again = await client.PutAsync("traits/CUSTOM_AGAIN", null);
        again.Status.ShouldBe(HttpStatusCode.NoContent);
        again.Headers.Location.ShouldBe(new Uri(server.BaseAddress, "traits/CUSTOM_AGAIN"));
        again.Header("cache-control").ShouldBeNull();
        (await client.GetAsync("traits?associated=xyz")).ErrorDetail
            .ShouldContain("The query parameter \"associated\" only accepts \"true\" or \"false\"");
    }

    [Fact] // differential finding: Placement lower-cases "associated"; a repeated name keeps its last value
    public async Task PA29_AssociatedIgnoresCase_RepeatedNameLastWins()
    {
        using var client = server.Client();
        await client.CreateTraitAsync("CUSTOM_CASED");
        var pf = await client.CreateProviderAsync("trait-cased");
        await client.SetTraitsAsync(pf, "CUSTOM_CASED");
        Names(await client.GetAsync("traits?name=in:CUSTOM_CASED&associated=True")).ShouldBe(["CUSTOM_CASED"]);
        Names(await client.GetAsync("traits?name=in:CUSTOM_CASED&associated=FALSE")).ShouldBeEmpty();
        Names(await client.GetAsync("traits?name=in:COMPUTE_NODE&name=in:CUSTOM_CASED")).ShouldBe(["CUSTOM_CASED"]);
    }

    [Fact] // differential findings: the body is checked before the provider is looked up; Placement's wording
    public async Task PA30_BodyCheckedBeforeTheProvider_UnknownTraitWording()
    {
        using var client = server.Client();
        var longName = await client.PutAsync($"resource_providers/{PlacementSetup.NewUuid()}/traits",
            new JsonObject { ["resource_provider_generation"] = 0, ["traits"] = new JsonArray(new string('A', 256)) });
        longName.Status.ShouldBe(HttpStatusCode.BadRequest);
        longName.ErrorDetail.ShouldContain("is too long");
        var rp = await client.CreateProviderAsync("trait-wording");
        var unknown = await client.PutAsync($"resource_providers/{rp}/traits",
            new JsonObject { ["resource_provider_generation"] = 0, ["traits"] = new JsonArray("CUSTOM_WORDING_NOPE") });
        unknown.ErrorDetail.ShouldBe("No such trait CUSTOM_WORDING_NOPE");
    }

    [Fact]
    public async Task PA7_TraitGetAndPut_CarryCacheHeadersFrom115()
    {
        using var client = server.Client("1.15");
        await client.CreateTraitAsync("CUSTOM_CACHED");
        foreach (var response in new[] { await client.GetAsync("traits/CUSTOM_CACHED"), await client.PutAsync("traits/CUSTOM_CACHED", null) })
        {
            response.Status.ShouldBe(HttpStatusCode.NoContent);
            response.Header("cache-control").ShouldBe("no-cache");
        }
    }

    [Fact]
    public async Task PA30_BadBodies_QuoteTheValueAsJsonSchemaDoes_StaleGenerationSaysAlreadyChanged()
    {
        using var client = server.Client();
        var pf = await client.CreateProviderAsync("trait-bad");
        (await client.PutAsync($"resource_providers/{pf}/traits",
                new JsonObject { ["resource_provider_generation"] = "invalid_generation", ["traits"] = new JsonArray() }))
            .ErrorDetail.ShouldContain("'invalid_generation' is not of type 'integer'");
        (await client.PutAsync($"resource_providers/{pf}/traits",
                new JsonObject { ["resource_provider_generation"] = 0, ["traits"] = "invalid_type" }))
            .ErrorDetail.ShouldContain("'invalid_type' is not of type 'array'");
        var stale = await client.PutAsync($"resource_providers/{pf}/traits",
            new JsonObject { ["resource_provider_generation"] = 5, ["traits"] = new JsonArray() });
        stale.ErrorCode.ShouldBe("placement.concurrent_update");
        stale.ErrorDetail.ShouldContain("Resource provider's generation already changed. Please update the generation and try again.");
        stale.ErrorDetail.ShouldContain("resource provider generation conflict");
    }

    private static List<string> Names(PlacementResponse response) =>
        [.. response.Json["traits"]!.AsArray().Select(t => t!.GetValue<string>())];
}
