using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>One server holding one compute node with 8 PF children of 8 VFs each; PF 0 has HW_NIC_SRIOV and
/// CUSTOM_PHYSNET_A.</summary>
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

        await client.SetTraitsAsync(PfUuids[0], "CUSTOM_PHYSNET_A", "HW_NIC_SRIOV");
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
        // Placement's trait-id order: standard traits (synced at start-up) before custom ones.
        summaries[_pfs[0]]!["traits"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["HW_NIC_SRIOV", "CUSTOM_PHYSNET_A"]);
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
    [InlineData("resources=VCPU:0", "Requested resource VCPU requires amount >= 1. Got: 0.")]
    [InlineData("resources=VCPU:1&limit=0", "does not match")]
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

    [Theory] // Placement's root_required gabbit
    [InlineData("root_required=COMPUTE_NODE,HW_NIC_SRIOV,!COMPUTE_NODE",
        "Conflicting required and forbidden traits found in root_required: COMPUTE_NODE", "placement.query.bad_value")]
    [InlineData("root_required=in:COMPUTE_NODE,HW_NIC_SRIOV",
        "Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. " +
        "Got: in:COMPUTE_NODE,HW_NIC_SRIOV",
        "placement.undefined_code")]
    public async Task PA41_RootRequiredErrors_WordedAsPlacement(string rootRequired, string detail, string code)
    {
        using var client = _server.Client();
        var response = await client.GetAsync($"allocation_candidates?resources=VCPU:1&{rootRequired}");
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldBe(detail);
        response.ErrorCode.ShouldBe(code);
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

    [Theory] // Placement's granular gabbit, error scenarios, then its allocation-candidates gabbit's
    [InlineData("1.24", "resources=MEMORY_MB:1024&resources1=VCPU:1", "Additional properties are not allowed ('resources1' was unexpected)")]
    [InlineData("1.24", "resources=MEMORY_MB:1024&required2=HW_CPU_X86_AVX2", "'required2' was unexpected")]
    [InlineData("1.24", "resources=VCPU:1&group_policy=isolate", "'group_policy' was unexpected")]
    [InlineData("1.25", "resources01=VCPU:1", "'resources01' does not match any of the regexes")]
    [InlineData("1.33", "resources1@=VCPU:1", "^member_of([a-zA-Z0-9_-]{1,64})?$")]
    [InlineData("1.25", "resources=VCPU:1&group_policy=bogus", "'bogus' is not one of ['none', 'isolate']")]
    [InlineData("1.25", "resources1=VCPU:1&resources2=VCPU:1",
        "The \"group_policy\" parameter is required when specifying more than one \"resources{N}\" parameter.")]
    [InlineData("1.25", "required=CUSTOM_NOPE&required1=CUSTOM_NOPE", "Found the following orphaned traits keys: required, required1")]
    [InlineData("1.25", "member_of=5e08ea53-c4c6-448e-9334-ac4953de3cfa&member_of3=5e08ea53-c4c6-448e-9334-ac4953de3cfa",
        "Found the following orphaned member_of keys: member_of, member_of3")]
    [InlineData("1.25", "group_policy=isolate", "At least one request group (`resources` or `resources{$S}`) is required.")]
    [InlineData("1.10", "limit=1&resources=VCPU:1", "'limit' was unexpected")]
    [InlineData("1.16", "resources=VCPU:1&limit=0", "'0' does not match '^[1-9][0-9]*$'")]
    [InlineData("1.10", "resources=", "Badly formed resources parameter. Expected resources query string parameter in form")]
    [InlineData("1.10", "resources=", "Got: empty string.")]
    [InlineData("1.10", "", "'resources' is a required property")]
    [InlineData("1.10", "resources=MCPU:99", "Invalid resource class in resources parameter")]
    [InlineData("1.10", "resources=VCPU:x", "Requested resource VCPU expected positive integer amount. Got: x.")]
    [InlineData("1.16", "resources=VCPU:1&limit=cow", "Failed validating 'pattern'")]
    [InlineData("1.16", "resources=VCPU:1&limit=-99", "Failed validating 'pattern'")]
    [InlineData("1.16", "resources=VCPU:1&required=HW_CPU_X86_SSE", "'required' was unexpected")]
    [InlineData("1.17", "resources=VCPU:1&required=", "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC.")]
    [InlineData("1.22", "resources=VCPU:1&required=", "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC.")]
    [InlineData("1.17", "resources=VCPU:1&required=,,", "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC.")]
    [InlineData("1.17", "resources=VCPU:1&required=!CUSTOM_MAGIC", "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC.")]
    [InlineData("1.38", "resources=VCPU:1&required=in:HW_CPU_X86_SSE,HW_CPU_X86_SSE2", "only supported since microversion 1.39")]
    [InlineData("1.39", "resources=VCPU:1&required=in:HW_CPU_X86_SSE,!HW_CPU_X86_SSE2", "does not support forbidden traits")]
    // found by differential testing against Placement 8.0.0: every group's conflicts in one error, one entry per
    // any-of set, and Placement's order of checks (conflicts and group_policy before unknown traits and classes,
    // root_required's traits first)
    [InlineData("1.39", "resources=VCPU:1&required=!HW_NIC_SRIOV,HW_NIC_SRIOV&resources_C=VCPU:1" +
        "&required_C=CUSTOM_PHYSNET_A,!CUSTOM_PHYSNET_A&group_policy=none",
        "Conflicting required and forbidden traits found in the following traits keys: required: (HW_NIC_SRIOV), " +
        "required_C: (CUSTOM_PHYSNET_A)")]
    [InlineData("1.39", "resources=VCPU:1&required=HW_NIC_SRIOV,HW_CPU_X86_SSE,!HW_NIC_SRIOV,!HW_CPU_X86_SSE",
        "traits keys: required: (HW_CPU_X86_SSE), required: (HW_NIC_SRIOV)")]
    [InlineData("1.39", "resources=VCPU:1&required=CUSTOM_NOPE&resources_C=VCPU:1&required_C=HW_NIC_SRIOV,!HW_NIC_SRIOV" +
        "&group_policy=none", "traits keys: required_C: (HW_NIC_SRIOV)")]
    [InlineData("1.39", "resources1=CUSTOM_NOPE:1&resources2=VCPU:1", "The \"group_policy\" parameter is required")]
    [InlineData("1.39", "resources=CUSTOM_NOPE:1&root_required=CUSTOM_NOPE2", "No such trait(s): CUSTOM_NOPE2.")]
    // found by running Placement's gabbits against both: an empty trait is worded apart from a forbidden one before
    // 1.22, and the key is always called 'required' (suffixed or root_required); before 1.25 a missing resources key
    // is a schema error, reported before unknown keys
    [InlineData("1.17", "resources=VCPU:1&required=,,", "HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: ,,")]
    [InlineData("1.17", "resources=VCPU:1&required=!CUSTOM_MAGIC", "HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !CUSTOM_MAGIC")]
    [InlineData("1.25", "resources1=VCPU:1&required1=CUSTOM_MAGIC,!",
        "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC. Got an empty trait in: CUSTOM_MAGIC,!")]
    [InlineData("1.39", "resources=VCPU:1&root_required=,",
        "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,!CUSTOM_MAGIC. Got an empty trait in: ,")]
    [InlineData("1.39", "resources=VCPU:1&required=in:HW_CPU_X86_SSE,",
        "Expected 'required' parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: in:HW_CPU_X86_SSE,")]
    [InlineData("1.10", "", "Invalid query string parameters: 'resources' is a required property")]
    [InlineData("1.24", "resources1=VCPU:1", "Invalid query string parameters: 'resources' is a required property")]
    // found by the allocation-candidates differential against Placement 8.0.0 (session 9): a repeated key is checked
    // as Placement's schema checks it (the last value; limit every value); a group with only forbidden traits is no
    // orphaned traits key; the first malformed key in query order is reported; one unknown trait is named, the first
    [InlineData("1.25", "resources=VCPU:1&group_policy=isolate&group_policy=bogus", "'bogus' is not one of ['none', 'isolate']")]
    [InlineData("1.16", "resources=VCPU:1&limit=1&limit=cow", "'cow' does not match '^[1-9][0-9]*$'")]
    [InlineData("1.25", "required=!CUSTOM_PHYSNET_A&resources1=VCPU:1", "All request groups must specify resources.")]
    [InlineData("1.39", "resources_B=VCPU:x&resources_A=VCPU:y&group_policy=none", "Got: x.")]
    [InlineData("1.39", "resources=VCPU:1&required=CUSTOM_NOPE_Y,CUSTOM_NOPE_X", "No such trait(s): CUSTOM_NOPE_Y.")]
    [InlineData("1.39", "resources2=CUSTOM_NOPE:1&resources1=VCPU:99&group_policy=none", "No such resource class CUSTOM_NOPE.")]
    [InlineData("1.25", "resources=VCPU:1,SRIOV_NET_VF:1&resources1=CUSTOM_NOPE:1", "No such resource class CUSTOM_NOPE.")]
    // PA-31 as Placement words a suffixed member_of: the value's form before the microversion of a forbidden one
    [InlineData("1.39", "resources1=VCPU:1&member_of1=nope", "Expected 'member_of' parameter to contain valid UUID(s). Got: nope")]
    [InlineData("1.31", "resources=VCPU:1&member_of=!5e08ea53-c4c6-448e-9334-ac4953de3cfa,5e08ea53-c4c6-448e-9334-ac4953de3cfb",
        "Multiple values for 'member_of' must be prefixed")]
    public async Task PA8_PA41_QueryErrors_WordedAsPlacement(string version, string query, string detail)
    {
        using var client = _server.Client(version);
        var response = await client.GetAsync($"allocation_candidates?{query}");
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldContain(detail);
    }

    [Theory]
    [InlineData("resources1=SRIOV_NET_VF:9", 0)] // above capacity
    [InlineData("resources1=SRIOV_NET_VF:8", Pfs)]
    [InlineData("resources=VCPU:17", 0)]
    public async Task PA42_FitIsCapacityOfEachProvider(string query, int expected)
    {
        var answer = await CandidatesAsync(query);
        answer["allocation_requests"]!.AsArray().Count.ShouldBe(expected);
        answer["provider_summaries"]!.AsObject().Count.ShouldBe(expected == 0 ? 0 : 1 + Pfs);
    }

    [Fact] // found by differential testing against Placement 8.0.0
    public async Task PA41_RepeatedResourcesOrInTree_LastOneCounts()
    {
        var memoryOnly = (await CandidatesAsync("resources=VCPU:1&resources=MEMORY_MB:1024"))["allocation_requests"]!
            .AsArray().ShouldHaveSingleItem()!;
        memoryOnly["allocations"]![_cn]!["resources"]!.AsObject().Select(r => r.Key).ShouldBe(["MEMORY_MB"]);
        (await CandidatesAsync($"resources=VCPU:1&in_tree={PlacementSetup.NewUuid()}&in_tree={_cn}"))["allocation_requests"]!
            .AsArray().ShouldHaveSingleItem();

        using var client = _server.Client();
        var response = await client.GetAsync($"allocation_candidates?resources=VCPU:1&in_tree=not-a-uuid&in_tree={_cn}");
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldBe("Invalid query string parameters: Expected 'in_tree' parameter to be a format of uuid. Got: not-a-uuid");
    }

    [Theory] // found by the allocation-candidates differential against Placement 8.0.0 (session 9)
    [InlineData("resources=VCPU:1&resources1=SRIOV_NET_VF:1&resources2=SRIOV_NET_VF:1&group_policy=bogus&group_policy=none", 64)]
    [InlineData("resources=VCPU:1&resources1=SRIOV_NET_VF:1&resources2=SRIOV_NET_VF:1&group_policy=isolate&group_policy=none", 56)]
    [InlineData("resources=VCPU:1&limit=1&limit=2", 1)]
    public async Task PA41_RepeatedPolicyOrLimit_AsPlacementReadsThem(string query, int expected) =>
        (await CandidatesAsync(query))["allocation_requests"]!.AsArray().Count.ShouldBe(expected);

    [Theory] // found by the allocation-candidates differential against Placement 8.0.0 (session 9)
    [InlineData("resources1=VCPU:99&resources2=CUSTOM_NOPE:1&group_policy=none")] // an earlier group has no candidate
    [InlineData("resources=VCPU:1&member_of=5e08ea53-c4c6-448e-9334-ac4953de3cfa&required=CUSTOM_NOPE")] // no provider in it
    [InlineData("resources=CUSTOM_NOPE:1&root_required=CUSTOM_PHYSNET_A")] // no root has it
    public async Task PA41_UnknownNameAfterTheSearchEnded_IsNoError(string query)
    {
        var answer = await CandidatesAsync(query);
        answer["allocation_requests"]!.AsArray().ShouldBeEmpty();
        answer["provider_summaries"]!.AsObject().ShouldBeEmpty();
    }

    [Fact]
    public async Task PA41_ClassGivenTwice_KeepsTheLastAmount()
    {
        var answer = await CandidatesAsync("resources=VCPU:99,VCPU:1");
        answer["allocation_requests"]!.AsArray().ShouldHaveSingleItem()!["allocations"]![_cn]!["resources"]!["VCPU"]!
            .GetValue<int>().ShouldBe(1);
    }
}
