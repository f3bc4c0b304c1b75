using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>08 §3 (PA-16), §9 (PA-36) and §10 (PA-39, PA-40): conflict wording, consumer ownership, usages.</summary>
public sealed class UsageTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    private static JsonObject Write(string project, string? type, int? generation, params (string Provider, string Class, int Amount)[] amounts)
    {
        var body = PlacementSetup.Allocation(generation, amounts);
        body["project_id"] = project;
        if (type is null)
        {
            body.Remove("consumer_type");
        }
        else
        {
            body["consumer_type"] = type;
        }

        return body;
    }

    private async Task<(PlacementClient Client, string Provider)> ProviderAsync(string name)
    {
        var client = server.Client();
        var provider = await client.CreateProviderAsync(name);
        await client.SetInventoryAsync(provider, ("VCPU", 8), ("MEMORY_MB", 1024), ("DISK_GB", 10));
        return (client, provider);
    }

    [Fact]
    public async Task PA39_ProviderUsages_ListEveryInventoriedClass()
    {
        var (client, provider) = await ProviderAsync("usage-pa39");
        using var owned = client;
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", Write("p39", "INSTANCE", null, (provider, "VCPU", 3))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        var usages = (await client.GetAsync($"resource_providers/{provider}/usages")).Json;
        usages["usages"]!.AsObject().ToDictionary(u => u.Key, u => u.Value!.GetValue<int>())
            .ShouldBe(new Dictionary<string, int> { ["VCPU"] = 3, ["MEMORY_MB"] = 0, ["DISK_GB"] = 0 }, ignoreOrder: true);
        usages["resource_provider_generation"]!.GetValue<int>().ShouldBe(2);
        (await client.GetAsync($"resource_providers/{PlacementSetup.NewUuid()}/usages")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PA40_ProjectUsages_ByTypeFrom138()
    {
        var (client, provider) = await ProviderAsync("usage-pa40");
        using var owned = client;
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", Write("p40", "INSTANCE", null, (provider, "VCPU", 2))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", Write("p40", "MIGRATION", null, (provider, "VCPU", 1),
            (provider, "DISK_GB", 4)))).Status.ShouldBe(HttpStatusCode.NoContent);
        using (var old = server.Client("1.37"))
        {
            (await old.PutAsync($"allocations/{PlacementSetup.NewUuid()}", Write("p40", null, null, (provider, "MEMORY_MB", 64))))
                .Status.ShouldBe(HttpStatusCode.NoContent);
            var flat = (await old.GetAsync("usages?project_id=p40")).Json["usages"]!;
            flat["VCPU"]!.GetValue<int>().ShouldBe(3);
            flat["MEMORY_MB"]!.GetValue<int>().ShouldBe(64);
        }

        var byType = (await client.GetAsync("usages?project_id=p40")).Json["usages"]!;
        byType["INSTANCE"]!["VCPU"]!.GetValue<int>().ShouldBe(2);
        byType["MIGRATION"]!["consumer_count"]!.GetValue<int>().ShouldBe(1);
        byType["unknown"]!["MEMORY_MB"]!.GetValue<int>().ShouldBe(64);
        var all = (await client.GetAsync("usages?project_id=p40&consumer_type=all")).Json["usages"]!;
        all["all"]!["consumer_count"]!.GetValue<int>().ShouldBe(3);
        (await client.GetAsync("usages?project_id=p40&consumer_type=NOPE")).Json["usages"]!.AsObject().ShouldBeEmpty();
        (await client.GetAsync("usages")).Status.ShouldBe(HttpStatusCode.BadRequest);
        using var tooOld = server.Client("1.8");
        (await tooOld.GetAsync("usages?project_id=p40")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory] // differential findings: the schema's pattern for consumer_type; a repeated key keeps its last value
    [InlineData("project_id=p&consumer_type=instance", HttpStatusCode.BadRequest)]
    [InlineData("project_id=p&consumer_type=", HttpStatusCode.BadRequest)]
    [InlineData("project_id=p&consumer_type=unknown", HttpStatusCode.OK)]
    [InlineData("project_id=&project_id=p", HttpStatusCode.OK)]
    public async Task PA40_ConsumerTypeQuery_FollowsThePattern_LastRepeatWins(string query, HttpStatusCode expected)
    {
        using var client = server.Client();
        var response = await client.GetAsync($"usages?{query}");
        response.Status.ShouldBe(expected);
        if (expected == HttpStatusCode.BadRequest)
        {
            response.ErrorDetail.ShouldContain("does not match '^[A-Z0-9_]+$|^all|^unknown$'");
        }
    }

    [Fact] // differential findings: a missing project before an unknown key; member_of before resources on the list
    public async Task PA40_MissingProjectBeforeUnknownKey()
    {
        using var client = server.Client("1.21");
        (await client.GetAsync("usages?consumer_type=unknown")).ErrorDetail.ShouldContain("'project_id' is a required property");
        (await client.GetAsync($"resource_providers?member_of=!{PlacementSetup.NewUuid()}&resources=VCPU:"))
            .ErrorDetail.ShouldStartWith("Forbidden member_of parameters are not supported");
    }

    [Theory]
    [InlineData("project_id=", "Failed validating 'minLength'")]
    [InlineData("project_id=p&user_id=", "Failed validating 'minLength'")]
    [InlineData("user_id=u", "'project_id' is a required property")]
    public async Task PA40_ProjectAndUserIds_AreCheckedAsTheSchemaDoes(string query, string expected)
    {
        using var client = server.Client("1.9");
        var response = await client.GetAsync($"usages?{query}");
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldContain(expected);
        (await client.GetAsync($"usages?project_id={new string('p', 256)}")).ErrorDetail.ShouldContain("Failed validating 'maxLength'");
    }

    [Fact]
    public async Task PA36_BodyOverwritesProjectAndType()
    {
        var (client, provider) = await ProviderAsync("usage-pa36");
        using var owned = client;
        var consumer = PlacementSetup.NewUuid();
        (await client.PutAsync($"allocations/{consumer}", Write("p36a", "INSTANCE", null, (provider, "VCPU", 1))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.PutAsync($"allocations/{consumer}", Write("p36b", "MIGRATION", 1, (provider, "VCPU", 1))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        var shown = (await client.GetAsync($"allocations/{consumer}")).Json;
        shown["project_id"]!.GetValue<string>().ShouldBe("p36b");
        shown["consumer_type"]!.GetValue<string>().ShouldBe("MIGRATION");
        (await client.GetAsync("usages?project_id=p36a")).Json["usages"]!.AsObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task PA16_ConflictDetails_CarryPlacementsWording()
    {
        var (client, provider) = await ProviderAsync("usage-pa16");
        using var owned = client;
        var consumer = PlacementSetup.NewUuid();
        (await client.PutAsync($"allocations/{consumer}", Write("p16", "INSTANCE", null, (provider, "VCPU", 1))))
            .Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.PutAsync($"allocations/{consumer}", Write("p16", "INSTANCE", 7, (provider, "VCPU", 1))))
            .ErrorDetail.ShouldContain("consumer generation conflict");
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", Write("p16", "INSTANCE", null, (provider, "VCPU", 8))))
            .ErrorDetail.ShouldContain("The requested amount would exceed the capacity");
        (await client.DeleteAsync($"resource_providers/{provider}/inventories/VCPU"))
            .ErrorDetail.ShouldContain($"Inventory for 'VCPU' on resource provider '{provider}' in use");
        (await client.PutAsync($"resource_providers/{provider}/inventories",
                new JsonObject { ["resource_provider_generation"] = 0, ["inventories"] = new JsonObject() }))
            .ErrorDetail.ShouldContain("resource provider generation conflict");
    }
}
