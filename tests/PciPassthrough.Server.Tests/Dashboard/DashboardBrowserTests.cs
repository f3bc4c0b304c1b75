using System.Net;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using PciPassthrough.Server.Tests.Controller;

namespace PciPassthrough.Server.Tests.Dashboard;

/// <summary>
/// Issue 8 item 4: each dashboard view in a real browser (Debian's chromium, headless) against a small fleet, checking
/// what a person would: the numbers, the reason text, the navigation. Screenshots go to
/// <c>artifacts/screenshots/</c> and to the test's attachments. Needs <c>chromium</c> and <c>chromium-driver</c>
/// (installed by <c>.ci/run</c>).
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium", ChromeDriver = "/usr/bin/chromedriver";

    private ControllerFixture _server = null!;
    private ChromeDriver _browser = null!;
    private string _vm1 = "";

    public async ValueTask InitializeAsync()
    {
        Assert.SkipWhen(!File.Exists(Chromium) || !File.Exists(ChromeDriver),
            $"browser tests need {Chromium} and {ChromeDriver}: apt-get install chromium chromium-driver (.ci/run does)");
        _server = await ControllerFixture.StartAsync();
        using var admin = _server.Client();
        (await admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 2, vfs: 2))).Status.ShouldBe(HttpStatusCode.OK);
        (await admin.PutAsync("v1/hosts/cmp-1", ControllerHosts.Host(gpus: 1))).Status.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.3", count: 3))).Status.ShouldBe(HttpStatusCode.Created);
        var vm1 = await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm1", ["flavor"] = "gpu.1" });
        vm1.Status.ShouldBe(HttpStatusCode.Created);
        _vm1 = vm1.Json["id"].Text();

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
        _browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        _browser.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
    }

    public async ValueTask DisposeAsync()
    {
        _browser?.Quit();
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

        _browser.FindElement(By.LinkText("cmp-0")).Click();
        WaitFor("host-summary");
        _browser.FindElement(By.Id("cell-0")).Text.ShouldContain("NUMA cell 0");
        var gpu = _browser.FindElement(By.Id("dev-0000:3b:00.0")).Text;
        gpu.ShouldContain("allocated");
        gpu.ShouldContain("server vm1");
        _browser.FindElement(By.Id("dev-0000:81:02.1")).Text.ShouldContain("available");
        _browser.FindElement(By.XPath("//li[span[@id='dev-0000:81:00.0']]")).Text
            .ShouldContain("PF, not passed through\n0000:81:02.0", Case.Sensitive, "the VFs hang under their PF");
        Screenshot("host");

        _browser.FindElement(By.Id("dev-0000:3b:00.0")).FindElement(By.LinkText("vm1")).Click();
        WaitFor("server-summary");
        _browser.Url.ShouldEndWith($"/servers/{_vm1}");
        Text("server-summary").ShouldContain("ACTIVE on cmp-0");
        Text("server-devices").ShouldContain("0000:3b:00.0");
        Text("domain-xml").ShouldContain("<hostdev mode=\"subsystem\" type=\"pci\"");
        Text("live-migration").ShouldContain("not eligible");
        Screenshot("server");
    }

    [Fact]
    public void WhyNot_ShowsEveryHostWithItsReason()
    {
        Open("/");
        _browser.FindElement(By.Id("nav-why-not")).Click();
        WaitFor("flavor-form");
        _browser.FindElement(By.CssSelector("#flavor option[value='gpu.3']")).Click();
        _browser.FindElement(By.Id("submit")).Click();
        WaitFor("why-not");

        Text("verdict").ShouldBe("It fits nowhere.");
        var rows = _browser.FindElements(By.CssSelector("#why-not tr")).Skip(1).Select(r => r.Text).ToList();
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
        var rows = _browser.FindElements(By.CssSelector("#capacity-hosts tr")).Skip(1).Select(r => r.Text).ToList();
        rows.ShouldBe(["cmp-0 1 devices " + Reason(rows[0]), "cmp-1 1 devices " + Reason(rows[1])]);
        Screenshot("capacity");
    }

    [Fact]
    public void ApiPage_LinksTheOpenApiDocument()
    {
        Open("/api");
        _browser.FindElement(By.Id("openapi-link")).Click();

        _browser.PageSource.ShouldContain("/v1/servers");
        Open("/api/browse/v1");
        new WebDriverWait(_browser, TimeSpan.FromSeconds(30)).Until(b => b.PageSource.Contains("pcictl API"));
        Screenshot("api-browser");
    }

    private static string Reason(string row) => row[(row.IndexOf("devices ", StringComparison.Ordinal) + "devices ".Length)..];

    private void Open(string path) => _browser.Navigate().GoToUrl(new Uri(_server.BaseAddress, path));

    private string Text(string id) => _browser.FindElement(By.Id(id)).Text;

    private void WaitFor(string id) =>
        new WebDriverWait(_browser, TimeSpan.FromSeconds(30)).Until(b => b.FindElements(By.Id(id)).Count > 0);

    private void Screenshot(string step)
    {
        var png = _browser.GetScreenshot().AsByteArray;
        var name = $"{nameof(DashboardBrowserTests)}-{step}.png";
        TestContext.Current.AddAttachment(name, png, "image/png");
        var directory = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, name), png);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PciPassthrough.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}
