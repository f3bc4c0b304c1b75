using System.Net;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using PciPassthrough.Server.Tests.Controller;

namespace PciPassthrough.Server.Tests.Dashboard;

/// <summary>
/// Issue 8 item 4 on the demo fleet (examples/fleet's cmp-flat, cmp-gpu and cmp-sriov, and this machine): each view in
/// a real browser, its numbers and reason text checked against what the REST API answers at the same moment, reached
/// by clicking links as a person would.
/// </summary>
public sealed class DemoDashboardBrowserTests(DemoFleetFixture demo) : IClassFixture<DemoFleetFixture>, IDisposable
{
    private static readonly string[] _fixtureHosts = ["cmp-flat", "cmp-gpu", "cmp-sriov"];

    private readonly DashboardBrowser _browser = Start(demo);

    public void Dispose() => _browser.Dispose();

    [Fact]
    public async Task Fleet_CountsWhatTheApiCounts_AndAHostLinkOpensItsNumaTree()
    {
        var hosts = (await demo.Admin.GetAsync("v1/hosts")).Json["hosts"]!.AsArray();

        _browser.Open("/");
        Lead(_browser.Text("card-hosts")).ShouldBe(hosts.Count);
        Lead(_browser.Text("card-devices")).ShouldBe(hosts.Sum(h => Number(h!["devices"]!["total"])));
        Lead(_browser.Text("card-free")).ShouldBe(hosts.Sum(h => Number(h!["devices"]!["available"])));
        Lead(_browser.Text("card-servers")).ShouldBe(1);
        var rows = _browser.Rows("hosts");
        foreach (var name in _fixtureHosts)
        {
            var host = hosts.Single(h => h!["name"].Text() == name)!;
            var devices = host["devices"]!;
            rows.ShouldContain($"{name} up yes {Number(devices["available"])} {Number(devices["allocated"])} {Number(devices["claimed"])} "
                + $"{Number(devices["unavailable"])} {Number(devices["total"])} {Number(host["servers"])}");
        }

        _browser.Text("device-groups").ShouldContain("CUSTOM_PCI_10DE_20B0 10de:20b0 type-PCI");
        _browser.Screenshot("fleet");

        _browser.Driver.FindElement(By.CssSelector("#hosts")).FindElement(By.LinkText("cmp-gpu")).Click();
        _browser.WaitFor("host-summary");
        var gpuHost = (await demo.Admin.GetAsync("v1/hosts/cmp-gpu")).Json;
        _browser.Text("host-summary").ShouldContain(
            $"{Number(gpuHost["device_counts"]!["available"])} of {Number(gpuHost["device_counts"]!["total"])} devices free · 1 server");
        foreach (var device in gpuHost["devices"]!.AsArray())
        {
            var line = _browser.Driver.FindElement(By.CssSelector($"#cell-{device!["numa_node"]} [id='dev-{device["address"].Text()}']")).Text;
            line.ShouldContain($"type-PCI 10de:20b0 · {device["status"].Text()}", customMessage: "each A100 under its own NUMA cell");
        }

        _browser.Text("cell-0").ShouldContain("NUMA cell 0 · socket 0 · 16 CPUs");
        _browser.Screenshot("host-gpu");
    }

    [Fact]
    public async Task SriovHost_ShowsEveryVfUnderItsPf_OnItsNumaCell()
    {
        var devices = (await demo.Admin.GetAsync("v1/hosts/cmp-sriov")).Json["devices"]!.AsArray();
        var vfs = devices.Where(d => d!["parent_addr"] is not null).ToList();

        _browser.Open("/hosts/cmp-sriov");

        vfs.Count.ShouldBe(devices.Count, "the demo's device_spec selects the VFs of cmp-sriov, not their PFs");
        foreach (var parent in vfs.GroupBy(d => d!["parent_addr"].Text()))
        {
            var pf = _browser.Driver.FindElement(By.XPath($"//li[span[@id='dev-{parent.Key}']]"));
            pf.FindElement(By.XPath("ancestor::section")).GetAttribute("id").ShouldBe($"cell-{parent.First()!["numa_node"]}");
            foreach (var vf in parent)
            {
                pf.FindElement(By.Id($"dev-{vf!["address"].Text()}")).Text
                    .ShouldContain($"type-VF {vf["vendor_id"].Text()}:{vf["product_id"].Text()} · {vf["status"].Text()}");
            }
        }

        _browser.Screenshot("host-sriov");
    }

    [Fact]
    public async Task Servers_ListTheBootedOne_AndItsLinkShowsDevicesAndXml()
    {
        var id = demo.Server["id"].Text();
        var address = demo.Server["pci_devices"]!.AsArray().ShouldHaveSingleItem()!["address"].Text();
        var xml = (await demo.Admin.GetAsync($"v1/servers/{id}/domain-xml")).Text;

        _browser.Open("/");
        _browser.Driver.FindElement(By.Id("nav-servers")).Click();
        _browser.WaitFor("servers");
        _browser.Rows("servers").ShouldBe([$"{DemoFleetFixture.ServerName} admin ACTIVE {demo.Server["host"].Text()} gpu.a100 {address}"]);
        _browser.Screenshot("servers");

        _browser.Driver.FindElement(By.LinkText(DemoFleetFixture.ServerName)).Click();
        _browser.WaitFor("server-summary");
        _browser.Driver.Url.ShouldEndWith($"/servers/{id}");
        _browser.Text("server-summary").ShouldStartWith($"ACTIVE on {demo.Server["host"].Text()} · flavor gpu.a100 · image cirros");
        _browser.Rows("server-devices").ShouldHaveSingleItem().ShouldStartWith($"{address} type-PCI 10de:20b0 ");
        _browser.Rows("server-devices")[0].ShouldEndWith("alias a100");
        var shown = _browser.Text("domain-xml");
        xml.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ShouldAllBe(line => shown.Contains(line), "the page shows the XML the API gives");
        _browser.Screenshot("server");
    }

    [Fact]
    public async Task WhyNot_AFlavorThatFitsNowhere_GivesEveryHostTheApisReasons()
    {
        var refusal = await demo.Admin.PostAsync("v1/servers", new JsonObject { ["name"] = "too-big", ["flavor"] = "gpu.a100x4" });
        refusal.Status.ShouldBe(HttpStatusCode.Conflict);
        var hosts = refusal.Json["error"]!["hosts"]!.AsArray();

        _browser.AskAbout("nav-why-not", "gpu.a100x4", "why-not");

        _browser.Text("verdict").ShouldBe("It fits nowhere.");
        var rows = _browser.Rows("why-not");
        rows.Count.ShouldBe(hosts.Count);
        foreach (var host in hosts)
        {
            var name = host!["host"].Text();
            var row = rows.Single(r => r.StartsWith(name + " ", StringComparison.Ordinal));
            row.ShouldStartWith($"{name} {host["rejected_by"].Text()}\n");
            host["reasons"]!.AsArray().ShouldAllBe(reason => row.Contains(reason.Text()));
        }

        var held = Number(demo.Server["pci_devices"]![0]!["numa_node"]);
        rows.Single(r => r.StartsWith("cmp-gpu ", StringComparison.Ordinal)).ShouldContain(
            $"too few free matching devices (NUMA node 0: {(held == 0 ? 0 : 1)} free, NUMA node 1: {(held == 1 ? 0 : 1)} free)",
            customMessage: "demo-vm holds one A100");
        _browser.Screenshot("why-not");

        _browser.Driver.FindElement(By.CssSelector("#why-not")).FindElement(By.LinkText("cmp-flat")).Click();
        _browser.WaitFor("host-summary");
        _browser.Driver.Url.ShouldEndWith("/hosts/cmp-flat");
    }

    [Fact]
    public async Task Capacity_ForGpuA100_IsTheApisAnswer()
    {
        var plan = (await demo.Admin.GetAsync("v1/capacity?flavor=gpu.a100")).Json;

        _browser.AskAbout("nav-capacity", "gpu.a100", "capacity-total");

        Number(plan["fits"]).ShouldBe(1, "cmp-gpu has two A100s and demo-vm holds one");
        _browser.Text("capacity-total").ShouldBe("1 more server of gpu.a100 fits");
        var rows = _browser.Rows("capacity-hosts");
        var blockers = plan["blockers"]!.AsArray();
        rows.Count.ShouldBe(plan["per_host"]!.AsArray().Count);
        foreach (var host in plan["per_host"]!.AsArray())
        {
            var blocker = blockers.Single(b => b!["host"].Text() == host!["host"].Text())!;
            rows.ShouldContain($"{host!["host"].Text()} {Number(host["count"])} {blocker["kind"].Text()} "
                + string.Join("; ", blocker["reasons"]!.AsArray().Select(r => r.Text())));
        }

        rows.ShouldContain(r => r.StartsWith("cmp-gpu 1 devices needs 1 × alias a100", StringComparison.Ordinal));
        _browser.Screenshot("capacity");
    }

    private static DashboardBrowser Start(DemoFleetFixture demo)
    {
        DashboardBrowser.SkipUnlessInstalled();
        return new DashboardBrowser(demo.BaseAddress, nameof(DemoDashboardBrowserTests));
    }

    private static int Number(JsonNode? node) => node!.GetValue<int>();

    /// <summary>The number a card opens with.</summary>
    private static int Lead(string card) => int.Parse(string.Concat(card.TakeWhile(char.IsAsciiDigit)), System.Globalization.CultureInfo.InvariantCulture);
}
