using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>Issue 7 item 5: tokens with roles and projects (<c>serve --auth-token TOKEN[:ROLE,…][@PROJECT]</c>); a member
/// sees and changes only its project's servers; hosts and flavor writes are admin-only; 401 and 403 change
/// nothing.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private ControllerFixture _server = null!;
    private PlacementClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await ControllerFixture.StartAsync(tokens: ["root:admin", "agent:service", "alice:member@alpha", "bob:member@beta",
            "eve:reader@alpha"]);
        _admin = _server.Client("root");
        using var agent = _server.Client("agent");
        (await agent.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 4))).Status.ShouldBe(HttpStatusCode.OK);
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("mallory")]
    [InlineData("admin")]
    public async Task UnknownOrMissingToken_401_NothingChanges(string? token)
    {
        using var client = _server.Client(token);

        var create = await client.PostAsync("v1/flavors", ControllerHosts.Flavor("sneaky"));
        var list = await client.GetAsync("v1/servers");

        create.Status.ShouldBe(HttpStatusCode.Unauthorized, create.Text);
        create.ErrorCode().ShouldBe("unauthorized");
        list.Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await _admin.GetAsync("v1/flavors/sneaky")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("alice", "PUT", "v1/hosts/cmp-9")]
    [InlineData("alice", "GET", "v1/hosts")]
    [InlineData("alice", "GET", "v1/hosts/cmp-0")]
    [InlineData("alice", "POST", "v1/hosts/cmp-0/heartbeat")]
    [InlineData("alice", "POST", "v1/flavors")]
    [InlineData("alice", "DELETE", "v1/flavors/gpu.1")]
    [InlineData("alice", "POST", "v1/images")]
    [InlineData("eve", "POST", "v1/servers")]
    [InlineData("eve", "POST", "v1/ports")]
    public async Task Forbidden_403_NothingChanges(string token, string method, string path)
    {
        using var client = _server.Client(token);
        var body = method == "PUT" ? ControllerHosts.Host() : method == "POST" ? new JsonObject { ["name"] = "x", ["flavor"] = "gpu.1", ["vcpus"] = 1, ["ram"] = 1 } : null;

        var answer = await client.SendAsync(new HttpMethod(method), path, body);

        answer.Status.ShouldBe(HttpStatusCode.Forbidden, answer.Text);
        answer.ErrorCode().ShouldBe("forbidden");
        (await _admin.GetAsync("v1/hosts")).Json["hosts"]!.AsArray().Select(h => h!["name"].Text()).ShouldBe(["cmp-0"]);
        (await _admin.GetAsync("v1/flavors")).Json["flavors"]!.AsArray().Select(f => f!["name"].Text()).ShouldBe(["gpu.1"]);
        (await _admin.GetAsync("v1/images")).Json["images"]!.AsArray().ShouldBeEmpty();
        (await _admin.GetAsync("v1/servers")).Json["servers"]!.AsArray().ShouldBeEmpty();
        (await _admin.GetAsync("v1/ports")).Json["ports"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Member_SeesAndChangesOnlyItsProject()
    {
        using var alice = _server.Client("alice");
        using var bob = _server.Client("bob");
        using var eve = _server.Client("eve");
        var mine = await alice.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "gpu.1" });
        mine.Status.ShouldBe(HttpStatusCode.Created, mine.Text);
        mine.Json["project"].Text().ShouldBe("alpha");
        var id = mine.Json["id"].Text();
        (await bob.PostAsync("v1/servers", new JsonObject { ["name"] = "other", ["flavor"] = "gpu.1" })).Status.ShouldBe(HttpStatusCode.Created);

        (await alice.GetAsync("v1/servers")).Json["servers"]!.AsArray().Select(s => s!["name"].Text()).ShouldBe(["vm"]);
        (await eve.GetAsync("v1/servers")).Json["servers"]!.AsArray().Select(s => s!["name"].Text()).ShouldBe(["vm"]);
        (await bob.GetAsync("v1/servers")).Json["servers"]!.AsArray().Select(s => s!["name"].Text()).ShouldBe(["other"]);
        (await _admin.GetAsync("v1/servers")).Json["servers"]!.AsArray().Count.ShouldBe(2);
        (await bob.GetAsync($"v1/servers/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await bob.GetAsync($"v1/servers/{id}/domain-xml")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await bob.PostAsync($"v1/servers/{id}/action", new JsonObject { ["migrate"] = new JsonObject() })).Status.ShouldBe(HttpStatusCode.NotFound);
        (await bob.DeleteAsync($"v1/servers/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await eve.DeleteAsync($"v1/servers/{id}")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await alice.GetAsync($"v1/servers/{id}")).Json["status"].Text().ShouldBe("ACTIVE");
        (await alice.GetAsync("v1/flavors")).Status.ShouldBe(HttpStatusCode.OK);

        (await alice.DeleteAsync($"v1/servers/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Ports_OfOtherProjects_AreInvisible()
    {
        using var alice = _server.Client("alice");
        using var bob = _server.Client("bob");
        var port = await alice.PostAsync("v1/ports", new JsonObject { ["name"] = "p", ["vnic_type"] = "normal" });
        port.Status.ShouldBe(HttpStatusCode.Created, port.Text);
        var id = port.Json["id"].Text();

        (await bob.GetAsync("v1/ports")).Json["ports"]!.AsArray().ShouldBeEmpty();
        (await bob.GetAsync($"v1/ports/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await bob.DeleteAsync($"v1/ports/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
        var borrowed = await bob.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "gpu.1", ["ports"] = new JsonArray(id) });
        borrowed.Status.ShouldBe(HttpStatusCode.BadRequest, borrowed.Text);
        borrowed.Json["error"]!["field"].Text().ShouldBe("ports[0]");
        (await _admin.GetAsync("v1/ports")).Json["ports"]!.AsArray().Single()!["project"].Text().ShouldBe("alpha");
        (await alice.GetAsync($"v1/ports/{id}")).Json["server"].ShouldBeNull();
    }

    [Fact]
    public async Task HealthAndOpenApi_NeedNoToken()
    {
        using var anonymous = _server.Client(null);

        var health = await anonymous.GetAsync("healthz");
        var document = await anonymous.GetAsync("openapi/v1.json");

        health.Status.ShouldBe(HttpStatusCode.OK);
        health.Json["status"].Text().ShouldBe("ok");
        health.Json["database"].Text().ShouldBe("ok");
        document.Status.ShouldBe(HttpStatusCode.OK);
        var paths = document.Json["paths"]!.AsObject().Select(p => p.Key).ToList();
        paths.ShouldContain("/v1/servers");
        paths.ShouldContain("/v1/servers/{id}/action");
        paths.ShouldContain("/v1/hosts/{name}");
        paths.ShouldContain("/v1/flavors");
        document.Json["components"]!["schemas"]!["ServerView"]!["properties"]!.AsObject().Select(p => p.Key).ShouldContain("pci_devices");
    }
}
