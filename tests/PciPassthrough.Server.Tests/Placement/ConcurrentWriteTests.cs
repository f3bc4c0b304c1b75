using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>
/// Requests racing on one provider, class or trait (found by a fuzzer firing them at once; each was a 500 with an
/// empty body): the loser of a write at one generation gets 409 <c>concurrent_update</c> (PA-51), a delete that another
/// delete beat gets the 404 it would get after it, an update that does not bump the generation (a rename) is made
/// again on the provider as it is now, and a list reads around providers deleted meanwhile. Races are not
/// deterministic, so each is run for several rounds; every round of the old code failed at least once.
/// </summary>
public sealed class ConcurrentWriteTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    private const int Rounds = 8;
    private const int Racers = 4;

    [Fact]
    public async Task PA30_PA32_PA23_PA24_WritesAtOneGeneration_OneWinsTheOthersAre409()
    {
        using var client = server.Client();
        string[] traits = ["HW_CPU_X86_AVX", "HW_CPU_X86_AVX2", "HW_CPU_X86_SSE", "HW_CPU_X86_SSE2"];
        var aggregate = PlacementSetup.NewUuid();
        for (var round = 0; round < Rounds; round++)
        {
            // each racer asks for another set (none finds its set there already), all of them for one same member
            var provider = await client.CreateProviderAsync($"race-gen-{round}");
            await OneWinsAsync(HttpStatusCode.OK, i => client.PutAsync($"resource_providers/{provider}/traits",
                new JsonObject { ["traits"] = new JsonArray("HW_NIC_SRIOV", traits[i]), ["resource_provider_generation"] = 0 }));
            await OneWinsAsync(HttpStatusCode.OK, _ => client.PutAsync($"resource_providers/{provider}/aggregates",
                new JsonObject { ["aggregates"] = new JsonArray(aggregate, PlacementSetup.NewUuid()), ["resource_provider_generation"] = 1 }));
            await OneWinsAsync(HttpStatusCode.Created, _ => client.PostAsync($"resource_providers/{provider}/inventories",
                new JsonObject { ["resource_class"] = "DISK_GB", ["total"] = 10 }));
            await OneWinsAsync(HttpStatusCode.OK, i => client.PutAsync($"resource_providers/{provider}/inventories",
                new JsonObject { ["inventories"] = new JsonObject { ["VCPU"] = PlacementSetup.Inventory(8 + i) }, ["resource_provider_generation"] = 3 }));
        }
    }

    [Fact]
    public async Task PA21_PA28_PA29_DeletesOfOneThing_OneIs204TheOthers404()
    {
        using var client = server.Client();
        for (var round = 0; round < Rounds; round++)
        {
            var provider = await client.CreateProviderAsync($"race-delete-{round}");
            await client.CreateResourceClassAsync($"CUSTOM_RACE_DELETE_{round}");
            await client.CreateTraitAsync($"CUSTOM_RACE_DELETE_{round}");

            await OneDeletesAsync(client, $"resource_providers/{provider}");
            await OneDeletesAsync(client, $"resource_classes/CUSTOM_RACE_DELETE_{round}");
            await OneDeletesAsync(client, $"traits/CUSTOM_RACE_DELETE_{round}");
        }
    }

    [Fact]
    public async Task PA28_RenamesOfAClassRacingOthersOrADelete_OnlyOneWins()
    {
        using var client = server.Client("1.6");
        for (var round = 0; round < Rounds; round++)
        {
            string[] names = [$"CUSTOM_RACE_A_{round}", $"CUSTOM_RACE_B_{round}"];
            foreach (var name in names)
            {
                (await client.PostAsync("resource_classes", new JsonObject { ["name"] = name })).Status.ShouldBe(HttpStatusCode.Created);
            }

            var onto = await Task.WhenAll(names.Select(name =>
                client.PutAsync($"resource_classes/{name}", new JsonObject { ["name"] = $"CUSTOM_RACE_SAME_{round}" })));
            NoServerError(onto);
            onto.Select(r => r.Status).Order().ShouldBe([HttpStatusCode.OK, HttpStatusCode.Conflict]);

            var loser = names[Array.FindIndex(onto, r => r.Status == HttpStatusCode.Conflict)];
            var renameOrDelete = await Task.WhenAll(
                client.PutAsync($"resource_classes/{loser}", new JsonObject { ["name"] = $"CUSTOM_RACE_NEW_{round}" }),
                client.DeleteAsync($"resource_classes/{loser}"));
            NoServerError(renameOrDelete);
            renameOrDelete.Count(r => r.Status is HttpStatusCode.OK or HttpStatusCode.NoContent).ShouldBe(1);
            renameOrDelete.Where(r => r.Status is not (HttpStatusCode.OK or HttpStatusCode.NoContent)).ShouldAllBe(r => r.Status == HttpStatusCode.NotFound);
        }
    }

    /// <summary>Claims of one new consumer (1.28, <c>consumer_generation: null</c>) at once: the first creates it, the
    /// others find it there and are a consumer generation conflict (was a 500: SQLite's UNIQUE constraint on the
    /// consumer's row escaped the write).</summary>
    [Fact]
    public async Task PA34_PA51_ClaimsOfOneNewConsumer_OneWinsTheOthersAre409()
    {
        using var client = server.Client("1.28");
        var provider = await client.CreateProviderAsync("race-claim");
        await client.SetInventoryAsync(provider, ("VCPU", 10 * Rounds * Racers));
        for (var round = 0; round < Rounds; round++)
        {
            var consumer = PlacementSetup.NewUuid();
            await OneWinsAsync(HttpStatusCode.NoContent, _ => client.PutAsync($"allocations/{consumer}", new JsonObject
            {
                ["allocations"] = new JsonObject { [provider] = new JsonObject { ["resources"] = new JsonObject { ["VCPU"] = 1 } } },
                ["project_id"] = PlacementSetup.NewUuid(),
                ["user_id"] = PlacementSetup.NewUuid(),
                ["consumer_generation"] = null,
            }));
        }
    }

    [Fact]
    public async Task PA19_RenamesWhileOtherWritesMoveTheGeneration_AreMade()
    {
        using var client = server.Client();
        var provider = await client.CreateProviderAsync("race-rename");
        var bumps = Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            for (var i = 0; i < Rounds * 3; i++)
            {
                var generation = (await client.GetAsync($"resource_providers/{provider}")).Json["generation"]!.GetValue<int>();
                NoServerError([await client.PutAsync($"resource_providers/{provider}/inventories", new JsonObject
                {
                    ["inventories"] = new JsonObject { ["VCPU"] = PlacementSetup.Inventory(8 + i) },
                    ["resource_provider_generation"] = generation,
                })]);
            }
        }));

        for (var round = 0; !bumps.IsCompleted; round++)
        {
            var renamed = await client.PutAsync($"resource_providers/{provider}", new JsonObject { ["name"] = $"race-renamed-{round}" });
            NoServerError([renamed]);
            renamed.Status.ShouldBe(HttpStatusCode.OK, renamed.Text);
        }

        await bumps;
    }

    [Fact]
    public async Task PA19_PA21_UpdateOfAProviderDeletedMeanwhile_Is404()
    {
        using var client = server.Client();
        for (var round = 0; round < Rounds; round++)
        {
            var provider = await client.CreateProviderAsync($"race-gone-{round}");
            var responses = await Task.WhenAll([
                client.DeleteAsync($"resource_providers/{provider}"),
                .. Enumerable.Range(0, Racers).Select(i => client.PutAsync($"resource_providers/{provider}",
                    new JsonObject { ["name"] = $"race-gone-{round}-{i}" })),
            ]);

            NoServerError(responses);
            responses[0].Status.ShouldBe(HttpStatusCode.NoContent, responses[0].Text);
            responses[1..].ShouldAllBe(r => r.Status == HttpStatusCode.OK || r.Status == HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task PA20_ListWhileProvidersAreDeleted_LeavesThemOut()
    {
        using var client = server.Client();
        for (var round = 0; round < Rounds; round++)
        {
            var providers = new List<string>();
            for (var i = 0; i < Racers; i++)
            {
                var provider = await client.CreateProviderAsync($"race-list-{round}-{i}");
                await client.SetInventoryAsync(provider, ("VCPU", 4));
                providers.Add(provider);
            }

            var responses = await Task.WhenAll([
                .. providers.Select(p => client.DeleteAsync($"resource_providers/{p}")),
                .. providers.Select(_ => client.GetAsync("resource_providers?resources=VCPU:1")),
            ]);

            NoServerError(responses);
            responses[Racers..].ShouldAllBe(r => r.Status == HttpStatusCode.OK);
        }
    }

    private async Task OneWinsAsync(HttpStatusCode success, Func<int, Task<PlacementResponse>> write)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(write));

        NoServerError(responses);
        responses.Count(r => r.Status == success).ShouldBe(1, string.Join("\n", responses.Select(r => $"{r.Status} {r.Text}")));
        responses.Where(r => r.Status != success).ShouldAllBe(r => r.Status == HttpStatusCode.Conflict && r.ErrorCode == "placement.concurrent_update");
    }

    private async Task OneDeletesAsync(PlacementClient client, string path)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => client.DeleteAsync(path)));

        NoServerError(responses);
        responses.Count(r => r.Status == HttpStatusCode.NoContent).ShouldBe(1, path);
        responses.Where(r => r.Status != HttpStatusCode.NoContent).ShouldAllBe(r => r.Status == HttpStatusCode.NotFound);
    }

    private void NoServerError(PlacementResponse[] responses)
    {
        foreach (var response in responses)
        {
            ((int)response.Status).ShouldBeLessThan(500, $"{response.Text}\nserver errors:\n{server.Errors.Recent()}");
        }
    }
}
