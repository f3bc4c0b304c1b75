using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Config;

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

    [Theory]
    [InlineData("placement pony.horse", "Invalid microversion: invalid version string: pony.horse")]
    [InlineData("placement 1.2.3", "Invalid microversion: invalid version string: 1.2.3")]
    [InlineData("placement 1.40", "Invalid microversion: Unacceptable version header: 1.40")]
    public async Task PA11_UnparsableVersion_NamesOnlyTheVersion(string header, string expected)
    {
        using var client = server.Client();
        client.Http.DefaultRequestHeaders.Remove("OpenStack-API-Version");
        client.Http.DefaultRequestHeaders.Add("OpenStack-API-Version", header);
        (await client.GetAsync("")).ErrorDetail.ShouldContain(expected);
    }

    [Fact]
    public async Task PA12_PA5_EveryResponseEchoesVersionAndRequestId()
    {
        using var client = server.Client("1.10");
        var response = await client.GetAsync("resource_providers");
        response.Header("openstack-api-version").ShouldBe("placement 1.10");
        response.Header("x-openstack-request-id").ShouldStartWith("req-");
        response.Header("Vary").ShouldBe("openstack-api-version");
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

    [Theory] // differential finding: Placement checks the content type before it looks anything up
    [InlineData("PUT", "resource_providers/{0}")]
    [InlineData("PUT", "resource_providers/{0}/inventories")]
    [InlineData("POST", "resource_providers/{0}/inventories")]
    [InlineData("PUT", "resource_providers/{0}/inventories/VCPU")]
    [InlineData("PUT", "resource_providers/{0}/aggregates")]
    [InlineData("PUT", "allocations/not-a-uuid")]
    public async Task PA1_WrongContentType_Is415BeforeAnUnknownProviderOrConsumer(string method, string path)
    {
        using var client = server.Client();
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain");
        var uri = string.Format(CultureInfo.InvariantCulture, path, PlacementSetup.NewUuid());
        using var request = new HttpRequestMessage(new HttpMethod(method), uri) { Content = content };
        var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory] // differential finding: Placement quotes Python's json module, which clients may show or match
    [InlineData("{\"traits\": [\"A\" \"B\"]}", "Expecting ',' delimiter: line 1 column 17 (char 16)")]
    [InlineData("{\"traits\": ", "Expecting value: line 1 column 12 (char 11)")]
    [InlineData("{traits: 1}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)")]
    [InlineData("[1,]", "Expecting value: line 1 column 4 (char 3)")]
    [InlineData("{\"a\":1}x", "Extra data: line 1 column 8 (char 7)")]
    [InlineData("{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)")]
    [InlineData("{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)")]
    [InlineData("{\"a\":\"x\\u00zz\"}", "Invalid \\uXXXX escape: line 1 column 9 (char 8)")]
    [InlineData("{\"a\":\"\\q\"}", "Invalid \\escape: line 1 column 7 (char 6)")]
    [InlineData("{\"a\":\"tab\there\"}", "Invalid control character at: line 1 column 10 (char 9)")]
    [InlineData("\"open", "Unterminated string starting at: line 1 column 1 (char 0)")]
    [InlineData("{\n  \"a\": 01\n}", "Expecting ',' delimiter: line 2 column 9 (char 10)")]
    [InlineData("[1e, -]", "Expecting ',' delimiter: line 1 column 3 (char 2)")]
    [InlineData("", "Expecting value: line 1 column 1 (char 0)")]
    [InlineData("{\"a\": NaN,}", "Expecting property name enclosed in double quotes: line 1 column 11 (char 10)")]
    public async Task PA1_MalformedJson_SaysWhatAndWhereAsPlacementsParser(string body, string message)
    {
        using var client = server.Client();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await client.Http.PutAsync($"resource_providers/{PlacementSetup.NewUuid()}/traits", content,
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["errors"]![0]!;
        error["detail"]!.GetValue<string>().ShouldEndWith($"Malformed JSON: {message}");
    }

    /// <summary>Found by fuzzing: text .NET cannot read as a string was a 500 with an empty body.</summary>
    [Theory]
    [InlineData("7B22747261697473223A205B22C3225D7D", "body.traits[0]")] // {"traits": ["<C3>"]}: not UTF-8
    [InlineData("7B225C7564383030223A20317D", "a key of body")] // {"\ud800": 1}
    public async Task PA1_TextThatIsNotUnicode_IsMalformedJsonNamingWhere(string hex, string where)
    {
        using var client = server.Client();
        using var content = new ByteArrayContent(Convert.FromHexString(hex));
        content.Headers.ContentType = new("application/json");
        var response = await client.Http.PutAsync($"resource_providers/{PlacementSetup.NewUuid()}/traits", content,
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["errors"]![0]!;
        error["detail"]!.GetValue<string>().ShouldEndWith($"Malformed JSON: {where} {JsonStrings.Problem}");
    }

    [Fact]
    public async Task PA7_LastModifiedFrom115Only()
    {
        using var old = server.Client("1.14");
        (await old.GetAsync("resource_providers")).Headers.CacheControl.ShouldBeNull();
        using var client = server.Client("1.15");
        (await client.GetAsync("resource_providers")).Headers.CacheControl!.NoCache.ShouldBeTrue();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? accept, string? version,
        HttpContent? content = null)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(method, path) { Content = content };
        client.Http.DefaultRequestHeaders.Accept.Clear();
        client.Http.DefaultRequestHeaders.Remove("OpenStack-API-Version");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (version is not null)
        {
            request.Headers.TryAddWithoutValidation("OpenStack-API-Version", version);
        }

        return await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.OK, "application/json")]
    [InlineData("*/*", HttpStatusCode.OK, "application/json")]
    [InlineData("text/plain", HttpStatusCode.NotAcceptable, "text/plain")]
    [InlineData("text/html", HttpStatusCode.NotAcceptable, "text/html")]
    public async Task PA2_AcceptDecidesJsonOr406(string? accept, HttpStatusCode expected, string contentType)
    {
        using var response = await SendAsync(HttpMethod.Get, "resource_providers", accept, "placement 1.20");
        response.StatusCode.ShouldBe(expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(contentType);
        if (expected == HttpStatusCode.NotAcceptable)
        {
            (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Only application/json is provided");
        }
    }

    [Fact] // Placement's microversion gabbit: "other accept header bad version"
    public async Task PA2_ErrorBodyFollowsAccept_Html()
    {
        using var response = await SendAsync(HttpMethod.Get, "", "text/html", "placement 0.5");
        response.StatusCode.ShouldBe(HttpStatusCode.NotAcceptable);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        response.Content.Headers.ContentType.CharSet.ShouldBe("UTF-8"); // as webob labels its error pages
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Unacceptable version header: 0.5");
    }

    [Theory]
    [InlineData(null, "placement 1.0")]
    [InlineData("placement latest", "placement 1.39")]
    [InlineData("compute 2.1, placement 1.20, placement 1.25, network 9.9", "placement 1.25")]
    [InlineData("placement 1.14", "placement 1.14")]
    public async Task PA10_PA14_VersionHeader_LastPlacementEntryWinsExactly(string? header, string echoed)
    {
        using var response = await SendAsync(HttpMethod.Get, "", "application/json", header);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        string.Join(",", response.Headers.GetValues("openstack-api-version")).ShouldBe(echoed);
    }

    [Fact] // Placement's microversion gabbit: "error in application produces microversion headers"
    public async Task PA3_PA12_PostToRoot_Is405WithVersionHeader()
    {
        using var content = new StringContent("<x/>", System.Text.Encoding.UTF8, "application/xml");
        using var response = await SendAsync(HttpMethod.Post, "", "application/json", null, content);
        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        string.Join(",", response.Headers.GetValues("openstack-api-version")).ShouldBe("placement 1.0");
    }
}
