using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>A read sees the servers' rows and the engine's fleet at one point of the log: while another replica
/// creates and deletes, a listed or shown server is never ACTIVE without the devices its flavor asks for.</summary>
public sealed class ReadConsistencyTests
{
    private const int Cycles = 40;

    [Fact]
    public async Task Sqlite_ListAndShowOnOneReplica_WhileTheOtherCreatesAndDeletes_AreConsistent()
    {
        var directory = Directory.CreateTempSubdirectory("pcictl-read-").FullName;
        try
        {
            await ListWhileChurningAsync($"Data Source={Path.Combine(directory, "shared.db")}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_ListAndShowOnOneReplica_WhileTheOtherCreatesAndDeletes_AreConsistent()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await ListWhileChurningAsync(database.ConnectionString);
    }

    [Fact]
    public async Task DeleteThenList_TheServerIsGone()
    {
        await using var server = await ControllerFixture.StartAsync();
        using var admin = server.Client();
        (await admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host())).Status.ShouldBe(HttpStatusCode.OK);
        (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        var id = (await admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm", ["flavor"] = "gpu.1" })).Json["id"].Text();

        (await admin.DeleteAsync($"v1/servers/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);

        (await admin.GetAsync("v1/servers")).Json["servers"]!.AsArray().ShouldBeEmpty();
        (await admin.GetAsync($"v1/servers/{id}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>Replica A boots and deletes <see cref="Cycles"/> servers one after the other; replica B lists and shows
    /// them meanwhile, which makes its rows and its fleet race the changes.</summary>
    private static async Task ListWhileChurningAsync(string database)
    {
        await using var writer = await ControllerFixture.StartAsync(database);
        await using var reader = await ControllerFixture.StartAsync(database);
        using var a = writer.Client();
        using var b = reader.Client();
        (await a.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host())).Status.ShouldBe(HttpStatusCode.OK);
        (await a.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        // B's first answer pays its start-up (JIT, first catch-up): on an idle machine A's whole churn fit in it
        (await b.GetAsync("v1/servers")).Status.ShouldBe(HttpStatusCode.OK);
        using var done = new CancellationTokenSource();
        var churn = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < Cycles; i++)
                {
                    var created = await a.PostAsync("v1/servers", new JsonObject { ["name"] = $"vm{i}", ["flavor"] = "gpu.1" });
                    created.Status.ShouldBe(HttpStatusCode.Created, created.Text);
                    (await a.DeleteAsync($"v1/servers/{created.Json["id"].Text()}")).Status.ShouldBe(HttpStatusCode.NoContent);
                }
            }
            finally
            {
                await done.CancelAsync();
            }
        }, TestContext.Current.CancellationToken);

        var (lists, shows) = (0, 0);
        while (!done.IsCancellationRequested)
        {
            var listed = (await b.GetAsync("v1/servers")).Json["servers"]!.AsArray();
            lists++;
            foreach (var server in listed)
            {
                ShouldHoldItsDevice(server!);
                var shown = await b.GetAsync($"v1/servers/{server!["id"].Text()}");
                if (shown.Status != HttpStatusCode.NotFound)
                {
                    ShouldHoldItsDevice(shown.Json);
                    shows++;
                }
            }
        }

        await churn;
        lists.ShouldBeGreaterThan(1);
        TestContext.Current.SendDiagnosticMessage($"{lists} lists and {shows} shows during {Cycles} create/delete cycles");
    }

    private static void ShouldHoldItsDevice(JsonNode server)
    {
        server["status"].Text().ShouldBe("ACTIVE");
        server["pci_devices"]!.AsArray().Count.ShouldBe(1, server.ToJsonString());
    }
}
