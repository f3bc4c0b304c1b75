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
        await client.SetAggregateAsync(aggregate, cn, nfs);

        var answer = (await client.GetAsync($"allocation_candidates?resources=VCPU:1,DISK_GB:10&member_of={aggregate}")).Json;
        var request = answer["allocation_requests"]!.AsArray().ShouldHaveSingleItem()!;
        request["allocations"]![cn]!["resources"]!["VCPU"]!.GetValue<int>().ShouldBe(1);
        request["allocations"]![nfs]!["resources"]!["DISK_GB"]!.GetValue<int>().ShouldBe(10);
        request["mappings"]![""]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe([cn, nfs], ignoreOrder: true);
        answer["provider_summaries"]!.AsObject().Select(p => p.Key).ShouldBe([cn, nfs], ignoreOrder: true);

        // this class's tests share one server: other sharing providers exist, so stay in this aggregate
        var diskOnly = (await client.GetAsync($"allocation_candidates?resources=DISK_GB:10&member_of={aggregate}")).Json["allocation_requests"]!
            .AsArray();
        diskOnly.ShouldHaveSingleItem()!["allocations"]!.AsObject().Single().Key.ShouldBe(nfs);
        var limitedToCn = (await client.GetAsync($"allocation_candidates?resources=VCPU:1,DISK_GB:10&in_tree={cn}")).Json;
        limitedToCn["allocation_requests"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task PA45_GroupLimitedToASharingProvidersTree_TakesItsResourcesThere()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("intree-cn");
        var nfs = await client.CreateProviderAsync("intree-nfs");
        await client.SetInventoryAsync(cn, ("VCPU", 8));
        await client.SetInventoryAsync(nfs, ("DISK_GB", 1000));
        await client.SetTraitsAsync(nfs, "MISC_SHARES_VIA_AGGREGATE");
        await client.SetAggregateAsync(PlacementSetup.NewUuid(), cn, nfs);

        foreach (var query in new[]
        {
            $"resources1=VCPU:1&in_tree1={cn}&resources2=DISK_GB:10&in_tree2={nfs}&group_policy=none",
            $"resources=VCPU:1&in_tree={cn}&resources1=DISK_GB:10&in_tree1={nfs}",
        })
        {
            var request = (await client.GetAsync($"allocation_candidates?{query}")).Json["allocation_requests"]!.AsArray()
                .ShouldHaveSingleItem()!;
            request["allocations"]![cn]!["resources"]!["VCPU"]!.GetValue<int>().ShouldBe(1);
            request["allocations"]![nfs]!["resources"]!["DISK_GB"]!.GetValue<int>().ShouldBe(10);
        }

        (await client.GetAsync($"allocation_candidates?resources=VCPU:1&in_tree=not-a-uuid")).ErrorDetail
            .ShouldContain("Expected 'in_tree' parameter to be a format of uuid");
    }
}
