using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>A server with configured tokens: an admin, a service and a reader of project p1.</summary>
public sealed class ConfiguredTokenServerFixture : PlacementServerFixture
{
    protected override PlacementServerOptions Configure(PlacementServerOptions options) =>
        options with { AuthTokens = ["s3cret", "nova-key:service", "viewer:reader,member@p1"] };
}

/// <summary>PA-4 in noauth2 mode (no configured token, loopback): any token authenticates, roles decide.</summary>
public sealed class NoAuthPolicyTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Theory]
    [InlineData("admin", null, HttpStatusCode.OK)]
    [InlineData("user", null, HttpStatusCode.Forbidden)]
    [InlineData("user", "member,reader", HttpStatusCode.Forbidden)]
    [InlineData("user", "admin,member,reader", HttpStatusCode.OK)]
    [InlineData("user", "service", HttpStatusCode.OK)]
    [InlineData("admin", "reader", HttpStatusCode.Forbidden)]
    public async Task PA4_RolesDecide(string token, string? roles, HttpStatusCode expected)
    {
        using var client = server.Client(token: token);
        if (roles is not null)
        {
            client.Http.DefaultRequestHeaders.Add("x-roles", roles);
        }

        var response = await client.GetAsync("resource_providers");
        response.Status.ShouldBe(expected);
        if (expected == HttpStatusCode.Forbidden)
        {
            response.Json["errors"]![0]!["status"]!.GetValue<int>().ShouldBe(403);
            response.ErrorCode.ShouldBe("placement.undefined_code");
        }
    }

    [Theory]
    [InlineData("user:p1", "p1", HttpStatusCode.OK)]
    [InlineData("user:p1", "p2", HttpStatusCode.Forbidden)]
    public async Task PA4_ReaderSeesOwnProjectUsagesOnly(string token, string project, HttpStatusCode expected)
    {
        using var client = server.Client(token: token);
        client.Http.DefaultRequestHeaders.Add("x-roles", "reader");
        (await client.GetAsync($"usages?project_id={project}")).Status.ShouldBe(expected);
        (await client.GetAsync("resource_providers")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("admin,member,reader", "resource_providers")]
    [InlineData("service", "resource_providers")]
    [InlineData("reader", "usages?project_id=p1")]
    public async Task PA4_SystemScopedTokenIsRefused(string roles, string path)
    {
        using var client = server.Client(token: "user:p1");
        client.Http.DefaultRequestHeaders.Add("x-roles", roles);
        client.Http.DefaultRequestHeaders.Add("openstack-system-scope", "all");

        (await client.GetAsync(path)).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PA4_UnknownRouteIs404EvenWithoutRole()
    {
        using var client = server.Client(token: "user");
        (await client.GetAsync("nowhere")).Status.ShouldBe(HttpStatusCode.NotFound);
    }
}

/// <summary>PA-4 with configured tokens: only those authenticate (401 otherwise), their roles decide (403), and a
/// refused call changes nothing.</summary>
public sealed class ConfiguredTokenTests(ConfiguredTokenServerFixture server) : IClassFixture<ConfiguredTokenServerFixture>
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("admin", HttpStatusCode.Unauthorized)]
    [InlineData("s3cret", HttpStatusCode.OK)]
    [InlineData("nova-key", HttpStatusCode.OK)]
    [InlineData("viewer", HttpStatusCode.Forbidden)]
    public async Task PA4_ConfiguredTokens(string? token, HttpStatusCode expected)
    {
        using var client = server.Client(token: token);
        (await client.GetAsync("resource_providers")).Status.ShouldBe(expected);
    }

    [Fact]
    public async Task PA4_RolesHeaderCannotRaiseAConfiguredToken()
    {
        using var client = server.Client(token: "viewer");
        client.Http.DefaultRequestHeaders.Add("x-roles", "admin");
        (await client.GetAsync("resource_providers")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("usages?project_id=p1")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PA4_RefusedWrite_ChangesNothing()
    {
        using var viewer = server.Client(token: "viewer");
        var name = $"refused-{Guid.NewGuid():N}";
        (await viewer.PostAsync("resource_providers", new JsonObject { ["name"] = name })).Status.ShouldBe(HttpStatusCode.Forbidden);
        using var admin = server.Client(token: "s3cret");
        var listed = await admin.GetAsync($"resource_providers?name={name}");
        listed.Json["resource_providers"]!.AsArray().ShouldBeEmpty();
    }
}
