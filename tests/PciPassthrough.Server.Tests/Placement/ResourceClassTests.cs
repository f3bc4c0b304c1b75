using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>08 §6: standard and custom resource classes.</summary>
public sealed class ResourceClassTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact]
    public async Task PA27_ListIsStandardInOrderThenCustom()
    {
        using var client = server.Client();
        (await client.PostAsync("resource_classes", new JsonObject { ["name"] = "CUSTOM_COUNTED" })).Status.ShouldBe(HttpStatusCode.Created);
        var names = (await client.GetAsync("resource_classes")).Json["resource_classes"]!.AsArray()
            .Select(c => c!["name"]!.GetValue<string>()).ToList();
        names.Count(n => !n.StartsWith("CUSTOM_", StringComparison.Ordinal)).ShouldBe(21);
        names[0].ShouldBe("VCPU");
        names[20].ShouldBe("NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC");
        names.Skip(21).ShouldContain("CUSTOM_COUNTED");
    }

    [Fact] // differential finding: Placement lists custom classes by id, i.e. in creation order
    public async Task PA27_CustomClassesListedInCreationOrder_RenameKeepsThePlace()
    {
        using var client = server.Client();
        foreach (var name in new[] { "CUSTOM_ORDER_Z", "CUSTOM_ORDER_A", "CUSTOM_ORDER_M" })
        {
            await client.CreateResourceClassAsync(name);
        }

        using var old = server.Client("1.6");
        (await old.PutAsync("resource_classes/CUSTOM_ORDER_Z", new JsonObject { ["name"] = "CUSTOM_ORDER_B" })).Status.ShouldBe(HttpStatusCode.OK);
        var names = (await client.GetAsync("resource_classes")).Json["resource_classes"]!.AsArray()
            .Select(c => c!["name"]!.GetValue<string>());
        names.Where(n => n.StartsWith("CUSTOM_ORDER_", StringComparison.Ordinal)).ShouldBe(["CUSTOM_ORDER_B", "CUSTOM_ORDER_A", "CUSTOM_ORDER_M"]);
    }

    [Fact]
    public async Task PA28_CreateShowDelete()
    {
        using var client = server.Client();
        (await client.PostAsync("resource_classes", new JsonObject { ["name"] = "NOT_CUSTOM" })).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PostAsync("resource_classes", new JsonObject { ["name"] = "CUSTOM_RC" })).Status.ShouldBe(HttpStatusCode.Created);
        (await client.PostAsync("resource_classes", new JsonObject { ["name"] = "CUSTOM_RC" })).Status.ShouldBe(HttpStatusCode.Conflict);
        (await client.GetAsync("resource_classes/CUSTOM_RC")).Json["name"]!.GetValue<string>().ShouldBe("CUSTOM_RC");
        (await client.GetAsync("resource_classes/CUSTOM_NONE")).Status.ShouldBe(HttpStatusCode.NotFound);
        var standard = await client.DeleteAsync("resource_classes/VCPU");
        standard.Status.ShouldBe(HttpStatusCode.BadRequest);
        standard.ErrorDetail.ShouldBe("Error in delete resource class: Cannot delete standard resource class VCPU.");
        (await client.DeleteAsync("resource_classes/CUSTOM_RC")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await client.DeleteAsync("resource_classes/CUSTOM_RC")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PA28_BodilessPutFrom17_201Then204_StandardIs400()
    {
        using var client = server.Client("1.7");
        (await client.PutAsync("resource_classes/CUSTOM_PUT", null)).Status.ShouldBe(HttpStatusCode.Created);
        var again = await client.PutAsync("resource_classes/CUSTOM_PUT", null);
        again.Status.ShouldBe(HttpStatusCode.NoContent);
        again.Headers.Location!.AbsolutePath.ShouldBe("/placement/resource_classes/CUSTOM_PUT");
        (await client.PutAsync("resource_classes/VCPU", null)).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("COW", "'COW' does not match '^CUSTOM_[A-Z0-9_]+$'", "'pattern'")]
    [InlineData("VCPU", "'VCPU' does not match '^CUSTOM_[A-Z0-9_]+$'", "'pattern'")]
    [InlineData("CUSTOM_TOO_LONG", "is too long", "'maxLength'")]
    public async Task PA28_BadNames_AreRefusedInJsonschemasWords(string name, string message, string keyword)
    {
        using var client = server.Client("1.7");
        if (name == "CUSTOM_TOO_LONG")
        {
            name = "CUSTOM_" + new string('S', 249);
        }

        var put = await client.PutAsync($"resource_classes/{name}", null);
        var post = await client.PostAsync("resource_classes", new JsonObject { ["name"] = name });

        foreach (var refused in new[] { put, post })
        {
            refused.Status.ShouldBe(HttpStatusCode.BadRequest);
            refused.ErrorDetail.ShouldContain(message);
            refused.ErrorDetail.ShouldContain($"Failed validating {keyword} in schema['properties']['name']");
        }
    }

    [Fact]
    public async Task PA28_RenameBefore17_MovesInventories()
    {
        using var client = server.Client();
        await client.CreateResourceClassAsync("CUSTOM_OLD");
        var cn = await client.CreateProviderAsync("rc-rename");
        await client.SetInventoryAsync(cn, ("CUSTOM_OLD", 3));
        using var old = server.Client("1.6");
        (await old.PutAsync("resource_classes/CUSTOM_OLD", new JsonObject { ["name"] = "CUSTOM_NEW" }))
            .Json["name"]!.GetValue<string>().ShouldBe("CUSTOM_NEW");
        (await client.GetAsync($"resource_providers/{cn}/inventories/CUSTOM_NEW")).Json["total"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task PA28_RenameOfAStandardClass_SaysCannotUpdate()
    {
        using var client = server.Client("1.6");
        var response = await client.PutAsync("resource_classes/VCPU", new JsonObject { ["name"] = "CUSTOM_NOT_VCPU" });
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldContain("Cannot update standard resource class VCPU");
    }

    [Fact]
    public async Task PA28_DeleteInUse_Is409()
    {
        using var client = server.Client();
        await client.CreateResourceClassAsync("CUSTOM_USED");
        var cn = await client.CreateProviderAsync("rc-used");
        await client.SetInventoryAsync(cn, ("CUSTOM_USED", 1));
        var refused = await client.DeleteAsync("resource_classes/CUSTOM_USED");
        refused.Status.ShouldBe(HttpStatusCode.Conflict);
        refused.ErrorDetail.ShouldBe(
            "Error in delete resource class: Cannot delete resource class CUSTOM_USED. Class is in use in inventory.");
    }
}
