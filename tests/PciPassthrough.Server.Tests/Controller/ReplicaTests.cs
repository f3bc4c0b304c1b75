using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>Issue 7 item 4: two replicas on one PostgreSQL database, each with its own engine folded from the shared
/// log, under concurrent creates and deletes, never give one device to two servers.</summary>
public sealed class ReplicaTests
{
    private const int Hosts = 2, GpusPerHost = 3, Capacity = Hosts * GpusPerHost;

    [Fact]
    public async Task TwoReplicas_ConcurrentCreatesAndDeletes_NeverDoubleBook()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var first = await ControllerFixture.StartAsync(database.ConnectionString);
        await using var second = await ControllerFixture.StartAsync(database.ConnectionString);
        using var a = first.Client();
        using var b = second.Client();
        for (var i = 0; i < Hosts; i++)
        {
            (await a.PutAsync($"v1/hosts/cmp-{i}", ControllerHosts.Host(gpus: GpusPerHost))).Status.ShouldBe(HttpStatusCode.OK);
        }

        (await b.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);

        var burst = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? a : b).PostAsync("v1/servers", new JsonObject { ["name"] = $"vm{i}", ["flavor"] = "gpu.1" })));

        burst.Count(r => r.Status == HttpStatusCode.Created).ShouldBe(Capacity);
        burst.Where(r => r.Status != HttpStatusCode.Created).ShouldAllBe(r => r.Status == HttpStatusCode.Conflict);
        var placed = burst.Where(r => r.Status == HttpStatusCode.Created).Select(r => r.Json["id"].Text()).ToList();

        var mixed = await Task.WhenAll(placed.Take(3).Select((id, i) => (i % 2 == 0 ? b : a).DeleteAsync($"v1/servers/{id}"))
            .Concat(Enumerable.Range(0, 6).Select(i =>
                (i % 2 == 0 ? a : b).PostAsync("v1/servers", new JsonObject { ["name"] = $"again{i}", ["flavor"] = "gpu.1" }))));

        mixed.Take(3).ShouldAllBe(r => r.Status == HttpStatusCode.NoContent);
        mixed.Skip(3).ShouldAllBe(r => r.Status == HttpStatusCode.Created || r.Status == HttpStatusCode.Conflict);
        var seenByA = await FleetConsistency.CheckAsync(a, devicesPerServer: 1);
        var seenByB = await FleetConsistency.CheckAsync(b, devicesPerServer: 1);
        seenByA.ShouldBe(seenByB, ignoreOrder: true);
        seenByA.Count.ShouldBe(Capacity - 3 + mixed.Skip(3).Count(r => r.Status == HttpStatusCode.Created));
        await FleetConsistency.FillsExactlyAsync(b, "gpu.1", seenByA.Count, Capacity);
        await FleetConsistency.CheckAsync(a, devicesPerServer: 1);
    }

    /// <summary>A lost append goes back to the fleet of the last applied entry and folds only what the other replica
    /// appended: every entry reaches each replica's fleet exactly once, however many races were lost.</summary>
    [Fact]
    public async Task LostAppendRaces_ReplayNoEntryTwice()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var first = await ControllerFixture.StartAsync(database.ConnectionString);
        await using var second = await ControllerFixture.StartAsync(database.ConnectionString);
        using var a = first.Client();
        using var b = second.Client();
        (await a.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 8))).Status.ShouldBe(HttpStatusCode.OK);
        (await b.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);

        for (var round = 0; round < 3; round++)
        {
            var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                (i % 2 == 0 ? a : b).PostAsync("v1/servers", new JsonObject { ["name"] = $"vm{round}-{i}", ["flavor"] = "gpu.1" })));
            created.ShouldAllBe(r => r.Status == HttpStatusCode.Created);
            var deleted = await Task.WhenAll(created.Select((r, i) => (i % 2 == 0 ? b : a).DeleteAsync($"v1/servers/{r.Json["id"].Text()}")));
            deleted.ShouldAllBe(r => r.Status == HttpStatusCode.NoContent);
        }

        const int entries = 1 + (3 * 16);
        foreach (var (replica, client) in new[] { (first, a), (second, b) })
        {
            (await client.GetAsync("v1/servers")).Json["servers"]!.AsArray().ShouldBeEmpty();
            (replica.Engine.EntriesFolded + replica.Engine.EntriesAppended).ShouldBe(entries);
        }

        TestContext.Current.SendDiagnosticMessage($"appended by each replica: {first.Engine.EntriesAppended}, {second.Engine.EntriesAppended}");
    }
}
