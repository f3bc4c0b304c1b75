using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>What clients match in Placement's raw answers: hrefs, error wording, schema failure keywords, headers.</summary>
public sealed class WireFormatTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact]
    public async Task Links_AreRelativeToTheMountPoint_LocationIsAbsolute()
    {
        using var client = server.Client();
        var uuid = PlacementSetup.NewUuid();
        var created = await client.PostAsync("resource_providers", new JsonObject { ["name"] = "links", ["uuid"] = uuid });
        var links = created.Json["links"]!.AsArray().ToDictionary(l => l!["rel"]!.GetValue<string>(), l => l!["href"]!.GetValue<string>());
        links["self"].ShouldBe($"/resource_providers/{uuid}");
        links["inventories"].ShouldBe($"/resource_providers/{uuid}/inventories");
        created.Headers.Location.ShouldBe(new Uri(server.BaseAddress, $"resource_providers/{uuid}"));
        await client.CreateResourceClassAsync("CUSTOM_LINKED");
        (await client.GetAsync("resource_classes/CUSTOM_LINKED")).Json["links"]![0]!["href"]!.GetValue<string>()
            .ShouldBe("/resource_classes/CUSTOM_LINKED");
    }

    [Fact]
    public async Task PA2_ErrorText_KeepsQuotesAndApostrophesLiteral()
    {
        using var client = server.Client();
        var uuid = PlacementSetup.NewUuid();
        var response = await client.PostAsync("resource_providers",
            new JsonObject { ["name"] = "self-parent", ["uuid"] = uuid, ["parent_provider_uuid"] = uuid });
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.Text.ShouldContain($"Unable to create resource provider \\\"self-parent\\\", {uuid}: Object action create failed because: " +
            "parent provider UUID cannot be same as UUID");
        var required = await client.GetAsync("resource_providers?required=");
        required.Text.ShouldContain("Expected 'required' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC. Got an empty trait in: ");
    }

    [Fact]
    public async Task PA3_UnknownPath_Is404EvenWhenJsonIsNotAccepted()
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "moo");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        client.Http.DefaultRequestHeaders.Accept.Clear();
        using var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("The resource could not be found");
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"uuid\":\"this is not a uuid\"}", "Failed validating 'format'")]
    [InlineData("{\"name\":\"x\",\"badfield\":1}", "Failed validating 'additionalProperties'")]
    [InlineData("{\"uuid\":\"2290d4af-9e6e-400b-9d65-1ee01376f71a\"}", "'name' is a required property")]
    public async Task PA17_SchemaFailures_NameTheJsonSchemaKeyword(string body, string expected)
    {
        using var client = server.Client();
        var response = await client.PostAsync("resource_providers", JsonNode.Parse(body));
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldStartWith("JSON does not validate");
        response.ErrorDetail.ShouldContain(expected);
    }

    [Fact]
    public async Task PA17_NameOf201Characters_FailsMaxLength()
    {
        using var client = server.Client();
        var response = await client.PostAsync("resource_providers", new JsonObject { ["name"] = new string('n', 201) });
        response.ErrorDetail.ShouldContain("Failed validating 'maxLength'");
    }

    [Fact]
    public async Task PA19_MessagesSayUnparentingOrReparenting_AndLoop()
    {
        using var client = server.Client();
        var parent = await client.CreateProviderAsync("msg-parent");
        var child = await client.CreateProviderAsync("msg-child", parent);
        using var old = server.Client("1.36");
        (await old.PutAsync($"resource_providers/{child}", new JsonObject { ["name"] = "msg-child", ["parent_provider_uuid"] = null }))
            .ErrorDetail.ShouldContain("un-parenting a provider is not currently allowed");
        (await client.PutAsync($"resource_providers/{parent}", new JsonObject { ["name"] = "msg-parent", ["parent_provider_uuid"] = child }))
            .ErrorDetail.ShouldContain("creating loop in the provider tree is not allowed.");
        var missing = PlacementSetup.NewUuid();
        (await client.DeleteAsync($"resource_providers/{missing}")).ErrorDetail
            .ShouldContain($"No resource provider with uuid {missing} found for delete");
    }

    [Fact]
    public async Task PA31_ForbiddenAggregatesBefore132_SayNotSupported()
    {
        using var client = server.Client("1.31");
        var response = await client.GetAsync($"resource_providers?member_of=!{PlacementSetup.NewUuid()}");
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldStartWith("Forbidden member_of parameters are not supported in the specified microversion");
    }
}
