using System.Net;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>A server with <c>randomize_allocation_candidates</c> on.</summary>
public sealed class RandomizedServerFixture : PlacementServerFixture
{
    protected override PlacementServerOptions Configure(PlacementServerOptions options) =>
        options with { RandomizeAllocationCandidates = true };
}

/// <summary>PA-48 with randomisation: the same set in a random order, a limit takes a random spread; and the
/// unlimited answer is streamed rather than buffered.</summary>
public sealed class CandidateOrderTests(RandomizedServerFixture server) : IClassFixture<RandomizedServerFixture>
{
    /// <summary>Two single-VF groups, both limited to the tree of <paramref name="cn"/> (the fixture's server is
    /// shared by this class's tests).</summary>
    private static string TwoVfs(string cn) =>
        $"resources1=SRIOV_NET_VF:1&in_tree1={cn}&resources2=SRIOV_NET_VF:1&in_tree2={cn}&group_policy=none";

    private async Task<List<string>> RequestsAsync(PlacementClient client, string query)
    {
        var response = await client.GetAsync($"allocation_candidates?{query}");
        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
        return [.. response.Json["allocation_requests"]!.AsArray().Select(r => r!.ToJsonString())];
    }

    private async Task<(PlacementClient Client, string Query)> HostAsync(string name)
    {
        var client = server.Client();
        var cn = await client.CreateProviderAsync(name);
        for (var i = 0; i < 4; i++)
        {
            await client.SetInventoryAsync(await client.CreateProviderAsync($"{name}_pf{i}", cn), ("SRIOV_NET_VF", 4));
        }

        return (client, TwoVfs(cn));
    }

    [Fact]
    public async Task PA48_Randomized_SameSetInAnotherOrder()
    {
        var (client, query) = await HostAsync("order-set");
        using var owned = client;
        var first = await RequestsAsync(client, query);
        first.Count.ShouldBe(16);
        var orders = new List<List<string>> { first };
        for (var i = 0; i < 4; i++)
        {
            var again = await RequestsAsync(client, query);
            again.ShouldBe(first, ignoreOrder: true);
            orders.Add(again);
        }

        orders.Select(o => string.Join("|", o)).Distinct().Count().ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task PA48_RandomizedLimit_TakesDifferentCandidates()
    {
        var (client, query) = await HostAsync("order-limit");
        using var owned = client;
        var picks = new HashSet<string>();
        for (var i = 0; i < 6; i++)
        {
            var limited = await RequestsAsync(client, query + "&limit=1");
            picks.Add(limited.ShouldHaveSingleItem());
        }

        picks.Count.ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task PA49_UnlimitedAnswer_IsStreamed()
    {
        var (client, query) = await HostAsync("order-stream");
        using var owned = client;
        using var response = await client.Http.GetAsync($"allocation_candidates?{query}", HttpCompletionOption.ResponseHeadersRead,
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.TransferEncodingChunked.ShouldBe(true);
        response.Content.Headers.ContentLength.ShouldBeNull();
    }
}
