using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>Issue 7 item 4: a replica killed with SIGKILL in the middle of a burst of creates leaves no half claim —
/// each boot is its log entry, server row and port bindings in one transaction, so it happened entirely or not at
/// all; the next replica folds the log and finds every device held by exactly one listed server.</summary>
public sealed class CrashTests
{
    private const int Hosts = 2, GpusPerHost = 4, Capacity = Hosts * GpusPerHost;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KilledMidBurst_NextReplicaFindsNoHalfClaim(bool postgres)
    {
        await using var database = postgres ? await PostgresTestDatabase.CreateAsync() : null;
        var directory = Directory.CreateTempSubdirectory("pcictl-crash-");
        try
        {
            var config = Path.Combine(directory.FullName, "nova.conf");
            await File.WriteAllLinesAsync(config, ["[pci]", .. ControllerHosts.Aliases.Select(a => $"alias = {a}")],
                TestContext.Current.CancellationToken);
            var acknowledged = new List<string>();
            using (var doomed = await ServeProcess.StartAsync(directory.FullName, config, database?.ConnectionString))
            {
                using var admin = ControllerFixture.ClientOf(doomed.BaseAddress, "admin");
                for (var i = 0; i < Hosts; i++)
                {
                    (await admin.PutAsync($"v1/hosts/cmp-{i}", ControllerHosts.Host(gpus: GpusPerHost))).Status.ShouldBe(HttpStatusCode.OK);
                }

                (await admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
                var burst = Enumerable.Range(0, 12).Select(i => CreateAsync(admin, $"vm{i}")).ToList();
                await Task.WhenAny(burst);
                doomed.Kill();
                acknowledged.AddRange((await Task.WhenAll(burst)).OfType<string>());
            }

            using var successor = await ServeProcess.StartAsync(directory.FullName, config, database?.ConnectionString);
            using var client = ControllerFixture.ClientOf(successor.BaseAddress, "admin");
            var survivors = await FleetConsistency.CheckAsync(client, devicesPerServer: 1);
            acknowledged.ShouldBeSubsetOf(survivors);
            acknowledged.ShouldNotBeEmpty();
            await FleetConsistency.FillsExactlyAsync(client, "gpu.1", survivors.Count, Capacity);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The new server's id, or null when the answer never came (the replica died) or was a refusal.</summary>
    private static async Task<string?> CreateAsync(PlacementClient admin, string name)
    {
        try
        {
            var created = await admin.PostAsync("v1/servers", new JsonObject { ["name"] = name, ["flavor"] = "gpu.1" });
            return created.Status == HttpStatusCode.Created ? created.Json["id"].Text() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
