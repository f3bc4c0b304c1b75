using System.Net;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>PA-48/PA-49: provider summaries beside the allocation requests, as Placement 8.0.0 lists them (found by
/// the allocation-candidates differential, session 9). Each test builds its own resource class, so the trees of
/// the others never answer its query.</summary>
public sealed class CandidateSummaryTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact]
    public async Task PA49_CustomTraits_InTheOrderTheyWereCreated()
    {
        using var client = server.Client();
        await client.CreateResourceClassAsync("CUSTOM_SUMMARY_TRAITS");
        await client.CreateTraitAsync("CUSTOM_ZZ_CREATED_FIRST");
        await client.CreateTraitAsync("CUSTOM_AA_CREATED_SECOND");
        var rp = await client.CreateProviderAsync("summary-traits");
        await client.SetInventoryAsync(rp, ("CUSTOM_SUMMARY_TRAITS", 4));
        await client.SetTraitsAsync(rp, "CUSTOM_AA_CREATED_SECOND", "HW_NIC_SRIOV", "CUSTOM_ZZ_CREATED_FIRST");

        var answer = await client.GetAsync("allocation_candidates?resources=CUSTOM_SUMMARY_TRAITS:1");

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Text);
        answer.Json["provider_summaries"]![rp]!["traits"]!.AsArray().Select(t => t!.GetValue<string>())
            .ShouldBe(["HW_NIC_SRIOV", "CUSTOM_ZZ_CREATED_FIRST", "CUSTOM_AA_CREATED_SECOND"]);
    }

    [Theory]
    [InlineData("1.28", 2)] // every provider of the kept tree that some candidate uses, kept or not
    [InlineData("1.29", 3)] // every provider of the kept tree
    public async Task PA48_LimitedSummaries_AreCutToTheKeptTrees(string version, int expected)
    {
        using var client = server.Client();
        var resourceClass = $"CUSTOM_SUMMARY_LIMIT_{version[2..]}";
        await client.CreateResourceClassAsync(resourceClass);
        var root = await client.CreateProviderAsync($"summary-limit-{version}");
        foreach (var child in new[] { "a", "b" })
        {
            await client.SetInventoryAsync(await client.CreateProviderAsync($"summary-limit-{version}-{child}", root), (resourceClass, 4));
        }

        using var versioned = server.Client(version);
        var answer = await versioned.GetAsync($"allocation_candidates?resources={resourceClass}:1&limit=1");

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Text);
        answer.Json["allocation_requests"]!.AsArray().ShouldHaveSingleItem();
        answer.Json["provider_summaries"]!.AsObject().Count.ShouldBe(expected);
    }

    [Fact] // the kept tree holds a sharing provider that only another tree's candidate uses: still summarised
    public async Task PA48_Below129_LimitedSummaries_NameASharingProviderOfAKeptTree_UsedOnlyFromAnotherTree()
    {
        using var client = server.Client();
        await client.CreateResourceClassAsync("CUSTOM_SUMMARY_SHARED_X");
        await client.CreateResourceClassAsync("CUSTOM_SUMMARY_SHARED_Y");
        var kept = await client.CreateProviderAsync("summary-shared-kept");
        var shared = await client.CreateProviderAsync("summary-shared-child", kept);
        var other = await client.CreateProviderAsync("summary-shared-other");
        await client.SetInventoryAsync(kept, ("CUSTOM_SUMMARY_SHARED_X", 4), ("CUSTOM_SUMMARY_SHARED_Y", 4));
        await client.SetInventoryAsync(shared, ("CUSTOM_SUMMARY_SHARED_Y", 4));
        await client.SetTraitsAsync(shared, "MISC_SHARES_VIA_AGGREGATE");
        await client.SetInventoryAsync(other, ("CUSTOM_SUMMARY_SHARED_X", 4));
        await client.SetAggregateAsync(PlacementSetup.NewUuid(), shared, other);

        using var versioned = server.Client("1.28");
        var answer = await versioned.GetAsync("allocation_candidates?resources=CUSTOM_SUMMARY_SHARED_X:1,CUSTOM_SUMMARY_SHARED_Y:1&limit=1");

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.Text);
        answer.Json["allocation_requests"]!.AsArray().ShouldHaveSingleItem()!["allocations"]!.AsObject().Select(a => a.Key).ShouldBe([kept]);
        answer.Json["provider_summaries"]!.AsObject().Select(s => s.Key).ShouldBe([kept, shared], ignoreOrder: true);
    }
}
