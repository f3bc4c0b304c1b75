using System.Net;
using System.Text.Json.Nodes;
using PciPassthrough.Server.Tests.Controller;

namespace PciPassthrough.Server.Tests.Metrics;

/// <summary>
/// OpenTelemetry subscribes to meters by name across the whole process, so a controller started by a test running in
/// parallel would add its samples to this one's scrape: these tests run alone.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;

/// <summary>Issue 8 item 3: <c>/metrics</c> in Prometheus text format.</summary>
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_CountDevicesByStatusAndClass_AndSchedulingDecisionsByOutcome()
    {
        await using var server = await ControllerFixture.StartAsync();
        using var admin = server.Client();
        (await admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 2))).Status.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.3", count: 3))).Status.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm1", ["flavor"] = "gpu.1" })).Status.ShouldBe(HttpStatusCode.Created);
        (await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "big", ["flavor"] = "gpu.3" })).Status.ShouldBe(HttpStatusCode.Conflict);

        using var scraper = new HttpClient { BaseAddress = server.BaseAddress };
        var text = await scraper.GetStringAsync("metrics", TestContext.Current.CancellationToken);

        var lines = text.Split('\n');
        Sample(lines, "pcictl_scheduling_decisions_total", "outcome=\"placed\"").ShouldBe(1);
        Sample(lines, "pcictl_scheduling_decisions_total", "outcome=\"no_valid_host\"").ShouldBe(1);
        Sample(lines, "pcictl_scheduling_duration_seconds_count", "outcome=\"placed\"").ShouldBe(1);
        lines.ShouldContain(l => l.StartsWith("pcictl_scheduling_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("le=\"0.001\""),
            "millisecond buckets, so that quantiles of a fast decision mean something");
        Sample(lines, "pcictl_pci_devices", "status=\"allocated\"").ShouldBe(1);
        Sample(lines, "pcictl_pci_devices", "status=\"available\"").ShouldBe(1);
        lines.ShouldContain(l => l.StartsWith("pcictl_pci_devices{") && l.Contains("resource_class=\"CUSTOM_PCI_10DE_20B5\""));
    }

    [Fact]
    public async Task AScrape_ReportsWhatAnotherReplicaBooted()
    {
        var directory = Directory.CreateTempSubdirectory("pcictl-metrics-");
        try
        {
            var config = Path.Combine(directory.FullName, "nova.conf");
            await File.WriteAllLinesAsync(config, ["[pci]", .. ControllerHosts.Aliases.Select(a => $"alias = {a}")],
                TestContext.Current.CancellationToken);
            // the scraped replica runs in this process (its exporter is the only one here); the other is a child process
            await using var scraped = await ControllerFixture.StartAsync(
                $"Data Source={Path.Combine(directory.FullName, PlacementServerOptions.DatabaseFileName)}");
            using var other = await ServeProcess.StartAsync(directory.FullName, config, database: null);
            using var scraper = new HttpClient { BaseAddress = scraped.BaseAddress };
            (await scraper.GetStringAsync("metrics", TestContext.Current.CancellationToken)).ShouldNotContain("pcictl_pci_devices{");

            using var admin = ControllerFixture.ClientOf(other.BaseAddress, "admin");
            (await admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 2))).Status.ShouldBe(HttpStatusCode.OK);
            (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
            (await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm1", ["flavor"] = "gpu.1" })).Status.ShouldBe(HttpStatusCode.Created);
            var lines = (await scraper.GetStringAsync("metrics", TestContext.Current.CancellationToken)).Split('\n');

            Sample(lines, "pcictl_pci_devices", "status=\"allocated\"").ShouldBe(1);
            Sample(lines, "pcictl_pci_devices", "status=\"available\"").ShouldBe(1);
            lines.ShouldNotContain(l => l.StartsWith("pcictl_scheduling_decisions_total{", StringComparison.Ordinal),
                "decisions are counted by the replica that made them");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>.</summary>
    private static double Sample(string[] lines, string metric, string label) => double.Parse(
        lines.Single(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
}
