using System.Net;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>08 §1–§3: discovery, microversions, auth and error bodies.</summary>
public sealed class VersionTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact]
    public async Task PA9_Root_NeedsNoTokenAndListsVersions()
    {
        using var client = server.Client(token: null);
        var response = await client.GetAsync("");
        response.Status.ShouldBe(HttpStatusCode.OK);
        var version = response.Json["versions"]![0]!;
        version["id"]!.GetValue<string>().ShouldBe("v1.0");
        version["min_version"]!.GetValue<string>().ShouldBe("1.0");
        version["max_version"]!.GetValue<string>().ShouldBe("1.39");
        version["status"]!.GetValue<string>().ShouldBe("CURRENT");
    }

    [Fact]
    public async Task PA4_NoToken_Is401()
    {
        using var client = server.Client(token: null);
        (await client.GetAsync("resource_providers")).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }


    [Fact] // example 1
    public async Task PA11_UnsupportedVersion_Is406WithRange()
    {
        using var client = server.Client("0.5");
        var response = await client.GetAsync("");
        response.Status.ShouldBe(HttpStatusCode.NotAcceptable);
        var error = response.Json["errors"]![0]!;
        error["max_version"]!.GetValue<string>().ShouldBe("1.39");
        error["min_version"]!.GetValue<string>().ShouldBe("1.0");
        error["code"].ShouldBeNull();
        response.Header("openstack-api-version").ShouldBeNull();
    }

    [Theory]
    [InlineData("1.40")]
    [InlineData("2.0")]
    public async Task PA11_VersionAboveMax_Is406(string version)
    {
        using var client = server.Client(version);
        (await client.GetAsync("resource_providers")).Status.ShouldBe(HttpStatusCode.NotAcceptable);
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("pony.horse")]
    public async Task PA11_UnparsableVersion_Is400(string version)
    {
        using var client = server.Client(version);
        (await client.GetAsync("resource_providers")).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PA12_PA5_EveryResponseEchoesVersionAndRequestId()
    {
        using var client = server.Client("1.10");
        var response = await client.GetAsync("resource_providers");
        response.Header("openstack-api-version").ShouldBe("placement 1.10");
        response.Header("x-openstack-request-id").ShouldStartWith("req-");
        response.Header("Vary").ShouldBe("OpenStack-API-Version");
    }

    [Fact]
    public async Task PA13_RouteNewerThanVersion_Is404()
    {
        using var client = server.Client("1.5");
        var response = await client.GetAsync("traits");
        response.Status.ShouldBe(HttpStatusCode.NotFound);
        response.Json["errors"]![0]!["status"]!.GetValue<int>().ShouldBe(404);
    }

    [Fact]
    public async Task PA3_PA15_UnknownPath_Is404WithPlacementErrorBody()
    {
        using var client = server.Client();
        var response = await client.GetAsync("no_such_thing");
        response.Status.ShouldBe(HttpStatusCode.NotFound);
        var error = response.Json["errors"]![0]!;
        error["title"]!.GetValue<string>().ShouldBe("Not Found");
        error["code"]!.GetValue<string>().ShouldBe("placement.undefined_code");
        error["request_id"]!.GetValue<string>().ShouldBe(response.Header("x-openstack-request-id"));
    }

    [Fact]
    public async Task PA3_WrongMethod_Is405()
    {
        using var client = server.Client();
        (await client.DeleteAsync("resource_providers")).Status.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task PA1_BodyWithoutJsonContentType_Is415()
    {
        using var client = server.Client();
        using var content = new StringContent("{\"name\":\"x\"}", System.Text.Encoding.UTF8, "text/plain");
        var response = await client.Http.PostAsync("resource_providers", content, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task PA7_LastModifiedFrom115Only()
    {
        using var old = server.Client("1.14");
        (await old.GetAsync("resource_providers")).Headers.CacheControl.ShouldBeNull();
        using var client = server.Client("1.15");
        (await client.GetAsync("resource_providers")).Headers.CacheControl!.NoCache.ShouldBeTrue();
    }
}
