using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Persistence;

/// <summary>Issue 6 / PA-51 races, run against one SQLite server with concurrent clients and against two replicas
/// on one PostgreSQL: whoever loses a race gets a 409, nothing is ever double-booked.</summary>
public static class ConcurrencyRaces
{
    private static readonly TimeSpan _bound = TimeSpan.FromSeconds(60);

    /// <summary>Each writer claims one VF on each of two PFs (the writers name the PFs in opposite orders) until
    /// capacity runs out: exactly the capacity is granted, every other claim is a 409, usages match.</summary>
    public static async Task ClaimsNeverDoubleBookAsync(PlacementClient setup, IReadOnlyList<PlacementClient> writers)
    {
        const int Capacity = 40, ClaimsPerWriter = 30;
        var host = await setup.CreateProviderAsync($"race-host-{Guid.NewGuid():N}");
        string[] pfs = [await setup.CreateProviderAsync($"{host}-pf0", host), await setup.CreateProviderAsync($"{host}-pf1", host)];
        foreach (var pf in pfs)
        {
            await setup.SetInventoryAsync(pf, ("SRIOV_NET_VF", Capacity));
        }

        var stopwatch = Stopwatch.StartNew();
        var results = await RaceAsync(writers, async (writer, index) =>
        {
            var order = index % 2 == 0 ? pfs : [.. pfs.Reverse()];
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < ClaimsPerWriter; i++)
            {
                var claim = await writer.PutAsync($"allocations/{PlacementSetup.NewUuid()}",
                    PlacementSetup.Allocation(null, [.. order.Select(pf => (pf, "SRIOV_NET_VF", 1))]));
                statuses.Add(claim.Status);
            }

            return statuses;
        });
        stopwatch.Elapsed.ShouldBeLessThan(_bound);

        var statuses = results.SelectMany(s => s).ToList();
        statuses.ShouldAllBe(s => s == HttpStatusCode.NoContent || s == HttpStatusCode.Conflict);
        statuses.Count(s => s == HttpStatusCode.NoContent).ShouldBe(Capacity);
        foreach (var pf in pfs)
        {
            var usages = (await setup.GetAsync($"resource_providers/{pf}/usages")).Json;
            usages["usages"]!["SRIOV_NET_VF"]!.GetValue<int>().ShouldBe(Capacity);
            usages["resource_provider_generation"]!.GetValue<int>().ShouldBe(1 + Capacity);
            (await setup.GetAsync($"resource_providers/{pf}/allocations")).Json["allocations"]!.AsObject().Count.ShouldBe(Capacity);
        }
    }

    /// <summary>Each round, every writer replaces one consumer's allocations from the same consumer generation:
    /// exactly one wins, the others get 409 <c>placement.concurrent_update</c>, and the winner's amount is stored.</summary>
    public static async Task SameConsumerGenerationHasOneWinnerAsync(PlacementClient setup, IReadOnlyList<PlacementClient> writers)
    {
        var pf = await setup.CreateProviderAsync($"race-pf-{Guid.NewGuid():N}");
        await setup.SetInventoryAsync(pf, ("SRIOV_NET_VF", 64));
        var consumer = PlacementSetup.NewUuid();
        (await setup.PutAsync($"allocations/{consumer}", PlacementSetup.Allocation(null, (pf, "SRIOV_NET_VF", 1))))
            .Status.ShouldBe(HttpStatusCode.NoContent);

        var stopwatch = Stopwatch.StartNew();
        for (var round = 0; round < 10; round++)
        {
            var current = (await setup.GetAsync($"allocations/{consumer}")).Json;
            var generation = current["consumer_generation"]!.GetValue<int>();
            var responses = await RaceAsync(writers, (writer, index) => writer.PutAsync($"allocations/{consumer}",
                PlacementSetup.Allocation(generation, (pf, "SRIOV_NET_VF", index + 1))));

            var winner = OneWinner(responses, HttpStatusCode.NoContent);
            var stored = (await setup.GetAsync($"allocations/{consumer}")).Json;
            stored["allocations"]![pf]!["resources"]!["SRIOV_NET_VF"]!.GetValue<int>().ShouldBe(winner + 1);
            stored["consumer_generation"]!.GetValue<int>().ShouldBe(generation + 1);
        }

        stopwatch.Elapsed.ShouldBeLessThan(_bound);
    }

    /// <summary>Each round, every writer replaces one provider's inventory from the same provider generation.</summary>
    public static async Task SameProviderGenerationHasOneWinnerAsync(PlacementClient setup, IReadOnlyList<PlacementClient> writers)
    {
        var pf = await setup.CreateProviderAsync($"race-pf-{Guid.NewGuid():N}");
        var generation = await setup.SetInventoryAsync(pf, ("SRIOV_NET_VF", 8));

        var stopwatch = Stopwatch.StartNew();
        for (var round = 0; round < 10; round++)
        {
            var responses = await RaceAsync(writers, (writer, index) => writer.PutAsync($"resource_providers/{pf}/inventories",
                new JsonObject
                {
                    ["resource_provider_generation"] = generation,
                    ["inventories"] = new JsonObject { ["SRIOV_NET_VF"] = new JsonObject { ["total"] = 16 + index } },
                }));

            var winner = OneWinner(responses, HttpStatusCode.OK);
            var stored = (await setup.GetAsync($"resource_providers/{pf}/inventories")).Json;
            stored["inventories"]!["SRIOV_NET_VF"]!["total"]!.GetValue<int>().ShouldBe(16 + winner);
            generation = stored["resource_provider_generation"]!.GetValue<int>();
            generation.ShouldBe(responses[winner].Json["resource_provider_generation"]!.GetValue<int>());
        }

        stopwatch.Elapsed.ShouldBeLessThan(_bound);
    }

    /// <summary>The index of the single response with <paramref name="success"/>; all others must be 409
    /// <c>placement.concurrent_update</c>.</summary>
    private static int OneWinner(PlacementResponse[] responses, HttpStatusCode success)
    {
        responses.Count(r => r.Status == success).ShouldBe(1, string.Join(" | ", responses.Select(r => $"{r.Status} {r.Text}")));
        foreach (var loser in responses.Where(r => r.Status != success))
        {
            loser.Status.ShouldBe(HttpStatusCode.Conflict, loser.Text);
            loser.ErrorCode.ShouldBe("placement.concurrent_update");
        }

        return Array.FindIndex(responses, r => r.Status == success);
    }

    /// <summary>Runs <paramref name="write"/> on every writer at once (released together, each on the pool).</summary>
    private static async Task<T[]> RaceAsync<T>(IReadOnlyList<PlacementClient> writers, Func<PlacementClient, int, Task<T>> write)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = writers.Select((writer, index) => Task.Run(async () =>
        {
            await start.Task;
            return await write(writer, index);
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(racers);
    }
}
