using System.Diagnostics;
using System.Net;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>PA-51 / issue 6: two writers claiming the same provider never double-book it.</summary>
public sealed class ConcurrencyTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact]
    public async Task TwoWriters_ClaimingOneProvider_NeverDoubleBook()
    {
        const int Capacity = 40, ClaimsPerWriter = 30;
        using var client = server.Client();
        var pf = await client.CreateProviderAsync("race-pf");
        await client.SetInventoryAsync(pf, ("SRIOV_NET_VF", Capacity));

        var stopwatch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            using var writer = server.Client();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < ClaimsPerWriter; i++)
            {
                var claim = await writer.PutAsync($"allocations/{PlacementSetup.NewUuid()}",
                    PlacementSetup.Allocation(null, (pf, "SRIOV_NET_VF", 1)));
                statuses.Add(claim.Status);
            }

            return statuses;
        })));
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));

        var granted = results.SelectMany(s => s).Count(s => s == HttpStatusCode.NoContent);
        results.SelectMany(s => s).ShouldAllBe(s => s == HttpStatusCode.NoContent || s == HttpStatusCode.Conflict);
        granted.ShouldBe(Capacity);
        var usages = (await client.GetAsync($"resource_providers/{pf}/usages")).Json;
        usages["usages"]!["SRIOV_NET_VF"]!.GetValue<int>().ShouldBe(Capacity);
        var allocations = (await client.GetAsync($"resource_providers/{pf}/allocations")).Json["allocations"]!.AsObject();
        allocations.Count.ShouldBe(Capacity);
        usages["resource_provider_generation"]!.GetValue<int>().ShouldBe(1 + Capacity);
    }
}
