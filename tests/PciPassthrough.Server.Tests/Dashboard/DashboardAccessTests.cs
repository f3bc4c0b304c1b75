using System.Net;
using PciPassthrough.Server.Dashboard;
using PciPassthrough.Server.Tests.Controller;

namespace PciPassthrough.Server.Tests.Dashboard;

/// <summary>The dashboard shows every project, so only admin tokens open it; the APIs keep their own checks.</summary>
public sealed class DashboardAccessTests
{
    [Fact]
    public async Task NoAuthMode_LoopbackBrowserIsTheAdmin()
    {
        await using var server = await ControllerFixture.StartAsync();
        using var browser = Browser(server);

        var page = await browser.GetAsync("/", Ct);

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync(Ct)).ShouldContain("<h1>Fleet</h1>");
    }

    [Fact]
    public async Task WithTokens_NoToken401_MemberToken403_AdminTokenOnceThenTheCookie()
    {
        await using var server = await ControllerFixture.StartAsync(tokens: ["s3cret", "alice-key:member@alice"]);
        using var browser = Browser(server);

        var anonymous = await browser.GetAsync("/hosts/x", Ct);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.Content.ReadAsStringAsync(Ct)).ShouldContain("name=\"token\"");
        (await browser.GetAsync("/?token=alice-key", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var admin = await browser.GetAsync("/?token=s3cret", Ct);

        admin.StatusCode.ShouldBe(HttpStatusCode.OK);
        admin.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith($"{DashboardAccess.Cookie}=s3cret"));
        (await browser.GetAsync("/servers", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "the cookie is enough now");
        (await browser.GetAsync("/v1/servers", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized,
            "the REST API reads only the x-auth-token header");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient Browser(ControllerFixture server) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
}
