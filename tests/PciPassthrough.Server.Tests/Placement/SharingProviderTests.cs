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

    private static async Task<string> SharingAsync(PlacementClient client, string name, string resourceClass, params string[] aggregates)
    {
        var provider = await client.CreateProviderAsync(name);
        await client.SetInventoryAsync(provider, (resourceClass, 100));
        await client.SetTraitsAsync(provider, "MISC_SHARES_VIA_AGGREGATE");
        await client.SetAggregatesAsync(provider, aggregates);
        return provider;
    }

    private static async Task<JsonArray> RequestsAsync(PlacementClient client, string query)
    {
        var response = await client.GetAsync($"allocation_candidates?{query}");
        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
        return response.Json["allocation_requests"]!.AsArray();
    }

    [Fact] // found by differential testing against Placement 8.0.0
    public async Task PA45_CandidateOfSharingProvidersOnly_ComesOnce_EvenThroughAThirdTree()
    {
        using var client = server.Client();
        string a = PlacementSetup.NewUuid(), b = PlacementSetup.NewUuid(), c = PlacementSetup.NewUuid();
        var cn = await client.CreateProviderAsync("only-cn");
        await client.SetInventoryAsync(cn, ("VCPU", 8));
        await client.SetAggregatesAsync(cn, a, b);
        var disk = await SharingAsync(client, "only-disk-a", "DISK_GB", a);
        var vfs = await SharingAsync(client, "only-vf-b", "SRIOV_NET_VF", b);

        // the two sharing providers meet only through cn's tree
        var viaCn = (await RequestsAsync(client, $"resources=DISK_GB:10,SRIOV_NET_VF:1&member_of=in:{a},{b}")).ShouldHaveSingleItem()!;
        viaCn["allocations"]!.AsObject().Select(p => p.Key).ShouldBe([disk, vfs], ignoreOrder: true);

        // each one's own tree reaches the other: still one candidate
        await SharingAsync(client, "only-disk-c", "DISK_GB", c);
        await SharingAsync(client, "only-vf-c", "SRIOV_NET_VF", c);
        (await RequestsAsync(client, $"resources=DISK_GB:10,SRIOV_NET_VF:1&member_of={c}")).ShouldHaveSingleItem();
    }

    [Fact] // found by differential testing against Placement 8.0.0
    public async Task PA44_MemberOf_OneProviderMeetsEveryAggregate_ASharingOneOfAnotherTreeItself()
    {
        using var client = server.Client();
        string x = PlacementSetup.NewUuid(), y = PlacementSetup.NewUuid(), p = PlacementSetup.NewUuid(), q = PlacementSetup.NewUuid();
        var cn = await client.CreateProviderAsync("memberof-cn");
        await client.SetInventoryAsync(cn, ("VCPU", 8));
        await client.SetAggregatesAsync(cn, x, y);
        await SharingAsync(client, "memberof-nfs", "DISK_GB", y);
        (await RequestsAsync(client, $"resources=VCPU:1,DISK_GB:10&member_of={x}")).ShouldBeEmpty();
        (await RequestsAsync(client, $"resources=VCPU:1,DISK_GB:10&member_of={y}")).ShouldHaveSingleItem();

        var host = await client.CreateProviderAsync("memberof-host");
        await client.SetAggregatesAsync(host, q);
        var numa = await client.CreateProviderAsync("memberof-numa", host);
        await client.SetInventoryAsync(numa, ("VCPU", 8));
        await client.SetAggregatesAsync(numa, p);
        (await RequestsAsync(client, $"resources=VCPU:1&member_of={p}&member_of={q}")).ShouldBeEmpty();
        (await RequestsAsync(client, $"resources=VCPU:1&member_of=in:{p},{q}")).ShouldHaveSingleItem();
        (await RequestsAsync(client, $"resources=VCPU:1&member_of={q}")).ShouldHaveSingleItem();
    }

    [Fact] // found by differential testing against Placement 8.0.0
    public async Task PA45_UnsuffixedGroupLimitedToASharingProvidersTree_StaysInThatTree()
    {
        using var client = server.Client();
        var cn = await client.CreateProviderAsync("anchor-cn");
        await client.SetInventoryAsync(cn, ("VCPU", 8));
        var aggregate = PlacementSetup.NewUuid();
        await client.SetAggregatesAsync(cn, aggregate);
        var nfs = await SharingAsync(client, "anchor-nfs", "DISK_GB", aggregate);

        (await RequestsAsync(client, $"resources=DISK_GB:10&in_tree={nfs}&resources1=VCPU:1&in_tree1={cn}")).ShouldBeEmpty();
        (await RequestsAsync(client, $"resources=VCPU:1&in_tree={cn}&resources1=DISK_GB:10&in_tree1={nfs}")).ShouldHaveSingleItem();
    }
}
