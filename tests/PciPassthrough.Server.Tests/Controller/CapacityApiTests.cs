using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>Issue 8 item 2: <c>GET /v1/capacity</c> — how many more of a flavor fit, where, and what blocks the rest.</summary>
public sealed class CapacityApiTests : IAsyncLifetime
{
    private ControllerFixture _server = null!;
    private PlacementClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await ControllerFixture.StartAsync();
        _admin = _server.Client();
        (await _admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 2))).Status.ShouldBe(HttpStatusCode.OK);
        (await _admin.PutAsync("v1/hosts/cmp-1", ControllerHosts.Host(gpus: 1))).Status.ShouldBe(HttpStatusCode.OK);
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("nope.1", alias: "nope"))).Status.ShouldBe(HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AsManyAsFit_PerHost_AndWhatBlocksEachHost()
    {
        (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm1", ["flavor"] = "gpu.1" })).Status
            .ShouldBe(HttpStatusCode.Created);

        var plan = (await _admin.GetAsync("v1/capacity?flavor=gpu.1")).Json;

        plan["fits"]!.GetValue<int>().ShouldBe(2);
        plan["asked"].ShouldBeNull();
        plan["per_host"]!.AsArray().Select(h => (h!["host"].Text(), h["count"]!.GetValue<int>()))
            .ShouldBe([("cmp-0", 1), ("cmp-1", 1)]);
        var blockers = plan["blockers"]!.AsArray();
        blockers.Select(b => b!["kind"].Text()).ShouldBe(["devices", "devices"]);
        blockers.ShouldAllBe(b => b!["reasons"]!.AsArray().Count > 0);
        (await _admin.GetAsync("v1/servers")).Json["servers"]!.AsArray().Count.ShouldBe(1, "nothing was booted");
    }

    [Fact]
    public async Task ACountThatFits_HasNoBlockers()
    {
        var plan = (await _admin.GetAsync("v1/capacity?flavor=gpu.1&count=2")).Json;

        (plan["fits"]!.GetValue<int>(), plan["asked"]!.GetValue<int>()).ShouldBe((2, 2));
        plan["blockers"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task AFlavorTheApiRefuses_SaysWhy()
    {
        var plan = (await _admin.GetAsync("v1/capacity?flavor=nope.1")).Json;

        plan["fits"]!.GetValue<int>().ShouldBe(0);
        plan["api_error"].Text().ShouldContain("nope");
    }

    [Theory]
    [InlineData("v1/capacity", "flavor")]
    [InlineData("v1/capacity?flavor=gpu.1&count=0", "count")]
    [InlineData("v1/capacity?flavor=gpu.1&count=many", "many")]
    public async Task BadQueries_Are400NamingTheField(string path, string named)
    {
        var answer = await _admin.GetAsync(path);

        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.ErrorMessage().ShouldContain(named);
    }

    [Fact]
    public async Task UnknownFlavorOrImage_Is404ListingTheValidNames_AndMembersAreRefused()
    {
        var ghost = await _admin.GetAsync("v1/capacity?flavor=ghost");
        ghost.Status.ShouldBe(HttpStatusCode.NotFound);
        ghost.ErrorMessage().ShouldBe("flavor 'ghost' does not exist; the flavors are gpu.1, nope.1.");
        ghost.Json["error"]!["valid"]!.AsArray().Select(v => v.Text()).ShouldBe(["gpu.1", "nope.1"]);
        (await _admin.GetAsync("v1/capacity?flavor=gpu.1&image=ubuntu")).ErrorMessage()
            .ShouldBe("image 'ubuntu' does not exist; there are no images yet.");
        using var member = _server.Client("alice");
        (await member.GetAsync("v1/capacity?flavor=gpu.1")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }
}
