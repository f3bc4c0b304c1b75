using System.Net;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>A server that lets pages from http://valid.example.com call it, sending openstack-api-version.</summary>
public sealed class CorsServerFixture : PlacementServerFixture
{
    public const string Origin = "http://valid.example.com";

    protected override PlacementServerOptions Configure(PlacementServerOptions options) =>
        options with { CorsAllowedOrigins = [Origin], CorsAllowHeaders = ["openstack-api-version"] };
}

/// <summary>Placement's CORS (<c>[cors] allowed_origin</c>, oslo.middleware): preflights answered without a
/// token, CORS headers only for an allowed origin and only what it may use.</summary>
public sealed class CorsTests(CorsServerFixture server) : IClassFixture<CorsServerFixture>
{
    private PlacementClient From(string origin, string? token = "admin")
    {
        var client = server.Client(token: token);
        client.Http.DefaultRequestHeaders.Add("Origin", origin);
        return client;
    }

    private static async Task<PlacementResponse> PreflightAsync(PlacementClient client, string method, string? headers)
    {
        client.Http.DefaultRequestHeaders.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            client.Http.DefaultRequestHeaders.Add("Access-Control-Request-Headers", headers);
        }

        return await client.SendAsync(HttpMethod.Options, "resource_providers");
    }

    [Fact]
    public async Task Cors_PreflightFromAnAllowedOrigin_IsGranted_WithoutAToken()
    {
        using var browser = From(CorsServerFixture.Origin, token: null);

        var preflight = await PreflightAsync(browser, "PUT", "openstack-api-version,content-type");

        preflight.Status.ShouldBe(HttpStatusCode.OK);
        preflight.Header("Access-Control-Allow-Origin").ShouldBe(CorsServerFixture.Origin);
        preflight.Header("Access-Control-Allow-Methods").ShouldBe("PUT");
        preflight.Header("Access-Control-Allow-Headers").ShouldBe("openstack-api-version,content-type");
        preflight.Header("Access-Control-Allow-Credentials").ShouldBe("true");
        preflight.Header("Access-Control-Max-Age").ShouldBe("3600");
        preflight.Text.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http://invalid.example.com", "GET", "openstack-api-version")]
    [InlineData(CorsServerFixture.Origin, "GET", "x-not-allowed")]
    [InlineData(CorsServerFixture.Origin, "CONNECT", null)]
    public async Task Cors_PreflightForAnotherOriginMethodOrHeader_IsAnsweredButNotGranted(string origin, string method, string? headers)
    {
        using var browser = From(origin);

        var preflight = await PreflightAsync(browser, method, headers);

        preflight.Status.ShouldBe(HttpStatusCode.OK);
        preflight.Header("Access-Control-Allow-Origin").ShouldBeNull();
        preflight.Header("Access-Control-Allow-Methods").ShouldBeNull();
    }

    [Theory]
    [InlineData("resource_providers", HttpStatusCode.OK)]
    [InlineData("", HttpStatusCode.OK)]
    [InlineData("nowhere", HttpStatusCode.NotFound)]
    public async Task Cors_ResponsesToAnAllowedOrigin_SayItMayReadThem(string path, HttpStatusCode status)
    {
        using var browser = From(CorsServerFixture.Origin);

        var response = await browser.GetAsync(path);

        response.Status.ShouldBe(status);
        response.Header("Access-Control-Allow-Origin").ShouldBe(CorsServerFixture.Origin);
        response.Header("Vary")!.Split(',').ShouldContain("Origin");
        // Placement's default [cors] expose_headers: without them a page could not read these response headers
        response.Header("Access-Control-Expose-Headers")
            .ShouldBe("X-Auth-Token,X-Openstack-Request-Id,X-Subject-Token,X-Service-Token,OpenStack-API-Version");
    }

    [Fact]
    public async Task Cors_ResponsesToAnotherOrigin_HaveNoCorsHeaders()
    {
        using var browser = From("http://invalid.example.com");

        var response = await browser.GetAsync("resource_providers");

        response.Status.ShouldBe(HttpStatusCode.OK);
        response.Header("Access-Control-Allow-Origin").ShouldBeNull();
        response.Header("Access-Control-Allow-Credentials").ShouldBeNull();
    }
}

/// <summary>Without <c>[cors] allowed_origin</c> there is no CORS: OPTIONS is an unsupported method (PA-3).</summary>
public sealed class NoCorsTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact]
    public async Task Cors_Off_PreflightIs405_WithoutCorsHeaders()
    {
        using var browser = server.Client();
        browser.Http.DefaultRequestHeaders.Add("Origin", CorsServerFixture.Origin);
        browser.Http.DefaultRequestHeaders.Add("Access-Control-Request-Method", "GET");

        var preflight = await browser.SendAsync(HttpMethod.Options, "resource_providers");

        preflight.Status.ShouldBe(HttpStatusCode.MethodNotAllowed);
        preflight.Header("Access-Control-Allow-Origin").ShouldBeNull();
    }
}
