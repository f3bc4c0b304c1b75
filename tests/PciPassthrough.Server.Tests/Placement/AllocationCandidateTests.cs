using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>One server holding one compute node with 8 PF children of 8 VFs each; PF 0 has CUSTOM_PHYSNET_A.</summary>
public sealed class CandidateHostFixture : IAsyncLifetime
{
    public const int Pfs = 8;

    public PlacementServerFixture Server { get; } = new();
    public string Cn { get; private set; } = "";
    public List<string> PfUuids { get; } = [];

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        using var client = Server.Client();
        Cn = await client.CreateProviderAsync("ac-cn");
        await client.SetInventoryAsync(Cn, ("VCPU", 16), ("MEMORY_MB", 4096));
        await client.CreateTraitAsync("CUSTOM_PHYSNET_A");
        for (var i = 0; i < Pfs; i++)
        {
            var pf = await client.CreateProviderAsync($"ac-cn_pf{i}", Cn);
            await client.SetInventoryAsync(pf, ("SRIOV_NET_VF", 8));
            PfUuids.Add(pf);
        }

        await client.SetTraitsAsync(PfUuids[0], "CUSTOM_PHYSNET_A");
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>08 §11: allocation candidates.</summary>
public sealed class AllocationCandidateTests(CandidateHostFixture host) : IClassFixture<CandidateHostFixture>
{
    private const int Pfs = CandidateHostFixture.Pfs;
    private readonly PlacementServerFixture _server = host.Server;
    private readonly string _cn = host.Cn;
    private readonly List<string> _pfs = host.PfUuids;

    private async Task<JsonNode> CandidatesAsync(string query, string version = "latest")
    {
        using var client = _server.Client(version);
        var response = await client.GetAsync($"allocation_candidates?{query}");
        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
        return response.Json;
    }

    [Fact] // example 15
    public async Task PA43_SuffixedGroupWithTrait_OnePfAndMappings()
    {
        var answer = await CandidatesAsync("resources=VCPU:1&resources_A=SRIOV_NET_VF:1&required_A=CUSTOM_PHYSNET_A");
        var request = answer["allocation_requests"]!.AsArray().ShouldHaveSingleItem()!;
        request["allocations"]![_cn]!["resources"]!["VCPU"]!.GetValue<int>().ShouldBe(1);
        request["allocations"]![_pfs[0]]!["resources"]!["SRIOV_NET_VF"]!.GetValue<int>().ShouldBe(1);
        request["mappings"]![""]!.AsArray().Single()!.GetValue<string>().ShouldBe(_cn);
        request["mappings"]!["_A"]!.AsArray().Single()!.GetValue<string>().ShouldBe(_pfs[0]);
        var summaries = answer["provider_summaries"]!.AsObject();
        summaries.Count.ShouldBe(1 + Pfs);
        summaries[_cn]!["resources"]!["VCPU"]!["capacity"]!.GetValue<int>().ShouldBe(16);
        summaries[_pfs[0]]!["traits"]!.AsArray().Single()!.GetValue<string>().ShouldBe("CUSTOM_PHYSNET_A");
        summaries[_pfs[1]]!["parent_provider_uuid"]!.GetValue<string>().ShouldBe(_cn);
    }

    [Theory] // 08 §15 table, k = 2
    [InlineData("none", 64)]
    [InlineData("isolate", 56)]
    public async Task PA46_TwoVfGroups_NoneAndIsolateCounts(string policy, int expected)
    {
        var answer = await CandidatesAsync($"resources=VCPU:1&resources1=SRIOV_NET_VF:1&resources2=SRIOV_NET_VF:1&group_policy={policy}");
        answer["allocation_requests"]!.AsArray().Count.ShouldBe(expected);
    }

    [Fact]
    public async Task PA46_MergedAmountOverCapacity_IsDropped()
    {
        var answer = await CandidatesAsync("resources1=SRIOV_NET_VF:5&resources2=SRIOV_NET_VF:5&group_policy=none");
        answer["allocation_requests"]!.AsArray().Count.ShouldBe(Pfs * (Pfs - 1));
    }

    [Theory] // example 19
    [InlineData("1.28", 0)]
    [InlineData("1.29", Pfs)]
    public async Task PA47_SpanningRootAndChild_OnlyFrom129(string version, int expected)
    {
        var answer = await CandidatesAsync("resources=VCPU:1,SRIOV_NET_VF:1", version);
        answer["allocation_requests"]!.AsArray().Count.ShouldBe(expected);
    }

    [Fact]
    public async Task PA48_Limit_StopsGeneration()
    {
        var answer = await CandidatesAsync("resources=VCPU:1&resources1=SRIOV_NET_VF:1&resources2=SRIOV_NET_VF:1&group_policy=none&limit=3");
        answer["allocation_requests"]!.AsArray().Count.ShouldBe(3);
    }

    [Fact]
    public async Task PA44_ForbiddenTrait_ExcludesProvider()
    {
        var answer = await CandidatesAsync("resources1=SRIOV_NET_VF:1&required1=!CUSTOM_PHYSNET_A&group_policy=none");
        var used = answer["allocation_requests"]!.AsArray().SelectMany(r => r!["allocations"]!.AsObject().Select(a => a.Key)).ToList();
        used.Count.ShouldBe(Pfs - 1);
        used.ShouldNotContain(_pfs[0]);
    }

    [Theory]
    [InlineData("resources=VCPU:1&resources1=PCPU:1&resources2=PCPU:1", "group_policy")] // example 17
    [InlineData("required=CUSTOM_PHYSNET_A", "There must be at least one resources")]
    [InlineData("resources=CUSTOM_NOPE:1", "No such resource class")]
    [InlineData("resources=VCPU:1&required=CUSTOM_NOPE", "No such trait")]
    [InlineData("resources=VCPU:0", "Badly formed resources")]
    [InlineData("resources=VCPU:1&limit=0", "limit")]
    public async Task PA41_InvalidQueries_Are400(string query, string detail)
    {
        using var client = _server.Client();
        var response = await client.GetAsync($"allocation_candidates?{query}");
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldContain(detail);
    }

    [Theory]
    [InlineData("root_required=COMPUTE_NODE", 0)]
    [InlineData("root_required=!COMPUTE_NODE", 1)]
    public async Task PA46_RootRequired_FiltersAnchors(string rootRequired, int expected)
    {
        var answer = await CandidatesAsync($"resources=VCPU:1&{rootRequired}");
        answer["allocation_requests"]!.AsArray().Count.ShouldBe(expected);
    }

    [Fact]
    public async Task PA41_RootRequiredTwice_IsDuplicateKey()
    {
        using var client = _server.Client();
        (await client.GetAsync("allocation_candidates?resources=VCPU:1&root_required=COMPUTE_NODE&root_required=!COMPUTE_NODE"))
            .ErrorCode.ShouldBe("placement.query.duplicate_key");
    }

    [Fact]
    public async Task PA49_Before112_ListForm()
    {
        var answer = await CandidatesAsync("resources=VCPU:1", "1.10");
        var allocation = answer["allocation_requests"]!.AsArray().ShouldHaveSingleItem()!["allocations"]!.AsArray().Single()!;
        allocation["resource_provider"]!["uuid"]!.GetValue<string>().ShouldBe(_cn);
    }
}
