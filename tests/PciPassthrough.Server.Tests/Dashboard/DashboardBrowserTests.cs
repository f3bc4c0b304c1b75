using System.Net;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using PciPassthrough.Server.Tests.Controller;

namespace PciPassthrough.Server.Tests.Dashboard;

/// <summary>
/// Issue 8 item 4: each dashboard view in a real browser (Debian's chromium, headless) against a small fleet, checking
/// what a person would: the numbers, the reason text, the navigation (see <see cref="DashboardBrowser"/> for the
/// browser and the screenshots).
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private ControllerFixture _server = null!;
    private DashboardBrowser _browser = null!;
    private string _vm1 = "";

    public async ValueTask InitializeAsync()
    {
        DashboardBrowser.SkipUnlessInstalled();
        _server = await ControllerFixture.StartAsync();
        using var admin = _server.Client();
        (await admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 2, vfs: 2))).Status.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsync("v1/hosts/cmp-1", ControllerHosts.Host(gpus: 1))).Status.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.3", count: 3))).Status.ShouldBe(HttpStatusCode.Created);
        var vm1 = await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm1", ["flavor"] = "gpu.1" });
        vm1.Status.ShouldBe(HttpStatusCode.Created);
        _vm1 = vm1.Json["id"].Text();
        _browser = new DashboardBrowser(_server.BaseAddress, nameof(DashboardBrowserTests));
    }

    public async ValueTask DisposeAsync()
    {
        _browser?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public void Fleet_Host_Server_ByClickingThrough()
    {
        Open("/");
        Text("card-hosts").ShouldStartWith("2");
        Text("card-devices").ShouldStartWith("5", customMessage: "3 GPUs and the 2 VFs (no device_spec selects the PF)");
        Text("card-free").ShouldStartWith("4", customMessage: "vm1 holds a GPU");
        Text("card-servers").ShouldStartWith("1");
        Text("device-groups").ShouldContain("CUSTOM_PCI_10DE_20B5");
        Screenshot("fleet");

        _browser.Driver.FindElement(By.LinkText("cmp-0")).Click();
        WaitFor("host-summary");
        _browser.Driver.FindElement(By.Id("cell-0")).Text.ShouldContain("NUMA cell 0");
        var gpu = _browser.Driver.FindElement(By.Id("dev-0000:3b:00.0")).Text;
        gpu.ShouldContain("allocated");
        gpu.ShouldContain("server vm1");
        _browser.Driver.FindElement(By.Id("dev-0000:81:02.1")).Text.ShouldContain("available");
        _browser.Driver.FindElement(By.XPath("//li[span[@id='dev-0000:81:00.0']]")).Text
            .ShouldContain("PF, not passed through\n0000:81:02.0", Case.Sensitive, "the VFs hang under their PF");
        Screenshot("host");

        _browser.Driver.FindElement(By.Id("dev-0000:3b:00.0")).FindElement(By.LinkText("vm1")).Click();
        WaitFor("server-summary");
        _browser.Driver.Url.ShouldEndWith($"/servers/{_vm1}");
        Text("server-summary").ShouldContain("ACTIVE on cmp-0");
        Text("server-devices").ShouldContain("0000:3b:00.0");
        Text("domain-xml").ShouldContain("<hostdev mode=\"subsystem\" type=\"pci\"");
        Text("live-migration").ShouldContain("not eligible");
        Screenshot("server");
    }

    [Fact]
    public void WhyNot_ShowsEveryHostWithItsReason()
    {
        _browser.AskAbout("nav-why-not", "gpu.3", "why-not");

        Text("verdict").ShouldBe("It fits nowhere.");
        var rows = _browser.Rows("why-not");
        rows.Count.ShouldBe(2);
        rows[0].ShouldStartWith("cmp-0 PciPassthroughFilter");
        rows.ShouldAllBe(r => r.Contains("too few free matching devices"));
        Screenshot("why-not");
    }

    [Fact]
    public void Capacity_SaysHowManyMoreFitAndWhere()
    {
        Open("/capacity?flavor=gpu.1");
        WaitFor("capacity-total");

        Text("capacity-total").ShouldStartWith("2 more servers of gpu.1");
        var rows = _browser.Rows("capacity-hosts");
        rows.ShouldBe(["cmp-0 1 devices " + Reason(rows[0]), "cmp-1 1 devices " + Reason(rows[1])]);
        Screenshot("capacity");
    }

    [Fact]
    public void ApiPage_LinksTheOpenApiDocument()
    {
        Open("/api");
        _browser.Driver.FindElement(By.Id("openapi-link")).Click();

        _browser.Driver.PageSource.ShouldContain("/v1/servers");
        Open("/api/browse/v1");
        new WebDriverWait(_browser.Driver, TimeSpan.FromSeconds(30)).Until(b => b.PageSource.Contains("pcictl API"));
        Screenshot("api-browser");
    }

    private static string Reason(string row) => row[(row.IndexOf("devices ", StringComparison.Ordinal) + "devices ".Length)..];

    private void Open(string path) => _browser.Open(path);

    private string Text(string id) => _browser.Text(id);

    private void WaitFor(string id) => _browser.WaitFor(id);

    private void Screenshot(string step) => _browser.Screenshot(step);
}
