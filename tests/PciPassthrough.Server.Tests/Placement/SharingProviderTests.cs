using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>PA-45: a provider with MISC_SHARES_VIA_AGGREGATE serves the trees in its aggregates.</summary>
public sealed class SharingProviderTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact] // example 18
    public async Task PA45_SharedDisk_JoinsTheComputeNodesCandidate()
    {
        using var client = server.Client();
        var aggregate = PlacementSetup.NewUuid();
        var cn = await client.CreateProviderAsync("share-cn");
        var nfs = await client.CreateProviderAsync("share-nfs");
        await client.SetInventoryAsync(cn, ("VCPU", 8));
        await client.SetInventoryAsync(nfs, ("DISK_GB", 1000));
        await client.SetTraitsAsync(nfs, "MISC_SHARES_VIA_AGGREGATE");
        foreach (var provider in new[] { cn, nfs })
        {
            var generation = (await client.GetAsync($"resource_providers/{provider}")).Json["generation"]!.GetValue<int>();
            (await client.PutAsync($"resource_providers/{provider}/aggregates", new JsonObject
            {
                ["resource_provider_generation"] = generation,
                ["aggregates"] = new JsonArray(aggregate),
            })).Status.ShouldBe(HttpStatusCode.OK);
        }

        var answer = (await client.GetAsync($"allocation_candidates?resources=VCPU:1,DISK_GB:10&member_of={aggregate}")).Json;
        var request = answer["allocation_requests"]!.AsArray().ShouldHaveSingleItem()!;
        request["allocations"]![cn]!["resources"]!["VCPU"]!.GetValue<int>().ShouldBe(1);
        request["allocations"]![nfs]!["resources"]!["DISK_GB"]!.GetValue<int>().ShouldBe(10);
        request["mappings"]![""]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe([cn, nfs], ignoreOrder: true);
        answer["provider_summaries"]!.AsObject().Select(p => p.Key).ShouldBe([cn, nfs], ignoreOrder: true);

        var diskOnly = (await client.GetAsync("allocation_candidates?resources=DISK_GB:10")).Json["allocation_requests"]!.AsArray();
        diskOnly.ShouldHaveSingleItem()!["allocations"]!.AsObject().Single().Key.ShouldBe(nfs);
        var limitedToCn = (await client.GetAsync($"allocation_candidates?resources=VCPU:1,DISK_GB:10&in_tree={cn}")).Json;
        limitedToCn["allocation_requests"]!.AsArray().ShouldBeEmpty();
    }
}
