using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>
/// Placement's NUMA/network layout for <c>same_subtree</c> (1.36): cn1 has no inventory of its own, NUMA children
/// with VCPU/MEMORY_MB (numa0: 2 VCPU used, MEMORY_MB min_unit 512 step 256; numa1: CUSTOM_FOO, MEMORY_MB
/// min_unit 256 max_unit 1024), FPGAs and a VGPU under the NUMA nodes, and two network agents with bandwidth
/// devices; cn2 (CUSTOM_FOO, 3 VCPU used, MEMORY_MB min_unit 1024 step 128) has three CUSTOM_HW_NIC_ROOT NICs
/// with PFs of CUSTOM_VF on PHYSNET1/PHYSNET2; ss1 shares DISK_GB with both through aggregate A. With
/// <see cref="Deep"/> cn1 and cn2 hang under empty providers gp1 → p1 / p2, so both are one tree.
/// </summary>
public abstract class NumaNetworkFixture : IAsyncLifetime
{
    public PlacementServerFixture Server { get; } = new();

    public Dictionary<string, string> Uuid { get; } = [];

    protected abstract bool Deep { get; }

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        using var client = Server.Client();
        foreach (var trait in new[] { "CUSTOM_FOO", "CUSTOM_VNIC_TYPE_DIRECT", "CUSTOM_VNIC_TYPE_NORMAL", "CUSTOM_PHYSNET0",
                     "CUSTOM_PHYSNET1", "CUSTOM_PHYSNET2", "CUSTOM_HW_NIC_ROOT" })
        {
            await client.CreateTraitAsync(trait);
        }

        await client.CreateResourceClassAsync("CUSTOM_FPGA");
        await client.CreateResourceClassAsync("CUSTOM_VF");
        var aggregate = PlacementSetup.NewUuid();
        string? cn1Parent = null, cn2Parent = null;
        if (Deep)
        {
            var gp1 = await AddAsync(client, "gp1", null);
            cn1Parent = await AddAsync(client, "p1", gp1);
            cn2Parent = await AddAsync(client, "p2", gp1);
        }

        var ss1 = await AddAsync(client, "ss1", null, ["MISC_SHARES_VIA_AGGREGATE"], Inventory("DISK_GB", 2000));
        await SetAggregateAsync(client, ss1, aggregate);

        var cn1 = await AddAsync(client, "cn1", cn1Parent, ["COMPUTE_VOLUME_MULTI_ATTACH"]);
        await SetAggregateAsync(client, cn1, aggregate);
        var numa0 = await AddAsync(client, "numa0", cn1, ["HW_NUMA_ROOT"],
            Inventory("VCPU", 4), Inventory("MEMORY_MB", 2048, minUnit: 512, stepSize: 256));
        var numa1 = await AddAsync(client, "numa1", cn1, ["HW_NUMA_ROOT", "CUSTOM_FOO"],
            Inventory("VCPU", 4), Inventory("MEMORY_MB", 2048, minUnit: 256, maxUnit: 1024));
        await AllocateAsync(client, numa0, 2);
        await AddAsync(client, "fpga0", numa0, [], Inventory("CUSTOM_FPGA", 1));
        await AddAsync(client, "pgpu0", numa0, [], Inventory("VGPU", 8));
        await AddAsync(client, "fpga1_0", numa1, [], Inventory("CUSTOM_FPGA", 1));
        await AddAsync(client, "fpga1_1", numa1, [], Inventory("CUSTOM_FPGA", 1));
        var sriov = await AddAsync(client, "sriov_agent", cn1, ["CUSTOM_VNIC_TYPE_DIRECT"]);
        await AddAsync(client, "esn1", sriov, ["CUSTOM_PHYSNET1"], Inventory("NET_BW_EGR_KILOBIT_PER_SEC", 10000));
        await AddAsync(client, "esn2", sriov, ["CUSTOM_PHYSNET2"], Inventory("NET_BW_EGR_KILOBIT_PER_SEC", 20000));
        var ovs = await AddAsync(client, "ovs_agent", cn1, ["CUSTOM_VNIC_TYPE_NORMAL"]);
        await AddAsync(client, "br_int", ovs, ["CUSTOM_PHYSNET0"], Inventory("NET_BW_EGR_KILOBIT_PER_SEC", 1000));

        var cn2 = await AddAsync(client, "cn2", cn2Parent, ["CUSTOM_FOO"],
            Inventory("VCPU", 8), Inventory("MEMORY_MB", 2048, minUnit: 1024, stepSize: 128), Inventory("DISK_GB", 1000));
        await SetAggregateAsync(client, cn2, aggregate);
        await AllocateAsync(client, cn2, 3);
        var nics = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            nics.Add(await AddAsync(client, $"nic{i}", cn2, ["CUSTOM_HW_NIC_ROOT"]));
        }

        await AddAsync(client, "pf1_1", nics[0], ["CUSTOM_PHYSNET1"], Inventory("CUSTOM_VF", 4));
        await AddAsync(client, "pf1_2", nics[0], ["CUSTOM_PHYSNET2"], Inventory("CUSTOM_VF", 4));
        for (var i = 1; i <= 4; i++)
        {
            await AddAsync(client, $"pf2_{i}", nics[1], [$"CUSTOM_PHYSNET{2 - (i % 2)}"], Inventory("CUSTOM_VF", 2));
        }

        await AddAsync(client, "pf3_1", nics[2], ["CUSTOM_PHYSNET1"], Inventory("CUSTOM_VF", 8));
    }

    private static KeyValuePair<string, JsonNode?> Inventory(string resourceClass, int total, int minUnit = 1, int stepSize = 1,
        int maxUnit = int.MaxValue) =>
        KeyValuePair.Create(resourceClass, (JsonNode?)new JsonObject
        {
            ["total"] = total,
            ["min_unit"] = minUnit,
            ["step_size"] = stepSize,
            ["max_unit"] = maxUnit,
        });

    private async Task<string> AddAsync(PlacementClient client, string name, string? parent, string[]? traits = null,
        params KeyValuePair<string, JsonNode?>[] inventories)
    {
        var uuid = await client.CreateProviderAsync(name, parent);
        Uuid[name] = uuid;
        if (inventories.Length > 0)
        {
            var response = await client.PutAsync($"resource_providers/{uuid}/inventories",
                new JsonObject { ["resource_provider_generation"] = 0, ["inventories"] = new JsonObject(inventories) });
            response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
        }

        if (traits is { Length: > 0 })
        {
            await client.SetTraitsAsync(uuid, traits);
        }

        return uuid;
    }

    private static async Task SetAggregateAsync(PlacementClient client, string provider, string aggregate)
    {
        var generation = (await client.GetAsync($"resource_providers/{provider}")).Json["generation"]!.GetValue<int>();
        var response = await client.PutAsync($"resource_providers/{provider}/aggregates",
            new JsonObject { ["aggregates"] = new JsonArray(aggregate), ["resource_provider_generation"] = generation });
        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
    }

    private static async Task AllocateAsync(PlacementClient client, string provider, int vcpus) =>
        (await client.PutAsync($"allocations/{PlacementSetup.NewUuid()}", PlacementSetup.Allocation(null, (provider, "VCPU", vcpus))))
            .Status.ShouldBe(HttpStatusCode.NoContent);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

public sealed class ShallowNumaNetworkFixture : NumaNetworkFixture
{
    protected override bool Deep => false;
}

public sealed class DeepNumaNetworkFixture : NumaNetworkFixture
{
    protected override bool Deep => true;
}

/// <summary>PA-41, PA-43, PA-46 at 1.36: <c>same_subtree</c> and resourceless suffixed groups.</summary>
public sealed class SameSubtreeTests(ShallowNumaNetworkFixture layout) : IClassFixture<ShallowNumaNetworkFixture>
{
    private const string Nic4Vfs = "resources=VCPU:1&required_NIC=CUSTOM_HW_NIC_ROOT&resources_PORT1=CUSTOM_VF:4" +
        "&required_PORT1=CUSTOM_PHYSNET1&resources_PORT2=CUSTOM_VF:4&required_PORT2=CUSTOM_PHYSNET2&same_subtree=_NIC,_PORT1,_PORT2";

    private string U(string name) => layout.Uuid[name];

    internal static async Task<PlacementResponse> GetAsync(PlacementServerFixture server, string query)
    {
        using var client = server.Client("1.36");
        return await client.GetAsync($"allocation_candidates?{query}");
    }

    private async Task<JsonArray> RequestsAsync(string query)
    {
        var response = await GetAsync(layout.Server, query);
        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
        return response.Json["allocation_requests"]!.AsArray();
    }

    [Theory]
    [InlineData("resources1=VCPU:1&required2=COMPUTE_VOLUME_MULTI_ATTACH&group_policy=none", "placement.query.bad_value",
        "Resourceless suffixed group request should be specified in `same_subtree` query param: bad group(s) - ['2'].")]
    [InlineData("resources1=VCPU:1&member_of2=0c9a2f5e-2a0a-4c38-9d6f-7f1c1f5e0b11&group_policy=none", "placement.query.bad_value",
        "Resourceless suffixed group request should be specified in `same_subtree`")]
    [InlineData("required=CUSTOM_FOO&resources1=VCPU:1", "placement.query.bad_value", "bad group(s) - [''].")]
    [InlineData("member_of1=0c9a2f5e-2a0a-4c38-9d6f-7f1c1f5e0b11&group_policy=none", "placement.query.missing_value",
        "There must be at least one resources or resources[$S] parameter.")]
    [InlineData("limit=1", "placement.query.missing_value", "There must be at least one resources or resources[$S] parameter.")]
    [InlineData("resources_COMPUTE=VCPU:1&resources_ACCEL=CUSTOM_FPGA:1&same_subtree=COMPUTE,_ACCEL&group_policy=none",
        "placement.query.bad_value", "Real suffixes should be specified in `same_subtree`: ['COMPUTE'] not found in")]
    // groups listed in the order the query first mentions them (checked against Placement 8.0.0)
    [InlineData("resources_Z=VCPU:1&resources=VCPU:1&required_A=CUSTOM_FOO&resources_A=VCPU:1&same_subtree=_Y&group_policy=none",
        "placement.query.bad_value", "Real suffixes should be specified in `same_subtree`: ['_Y'] not found in ['_Z', '', '_A'].")]
    [InlineData("resources_Z=VCPU:1&required_B=CUSTOM_FOO&required_A=CUSTOM_FOO&group_policy=none",
        "placement.query.bad_value", "bad group(s) - ['_B', '_A'].")]
    [InlineData("resources_COMPUTE=VCPU:1&resources_ACCEL=CUSTOM_FPGA:1&same_subtree=_COMPUTE,,_ACCEL&group_policy=none",
        "placement.query.bad_value", "Empty string (unsuffixed group) can not be specified in `same_subtree`")]
    public async Task PA41_SameSubtreeMisuse_Is400WithCode(string query, string code, string detail)
    {
        var response = await GetAsync(layout.Server, query);
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorCode.ShouldBe(code);
        response.ErrorDetail.ShouldContain(detail);
    }

    [Theory]
    [InlineData("1.35", "", "Found the following orphaned traits keys: required_NIC")]
    [InlineData("1.35", "&same_subtree=_NIC", "Invalid query string parameters")]
    [InlineData("1.36", "", "bad group(s) - ['_NIC']")]
    public async Task PA41_ResourcelessGroup_OrphanBefore136(string version, string extra, string detail)
    {
        using var client = layout.Server.Client(version);
        var response = await client.GetAsync($"allocation_candidates?resources=VCPU:1&required_NIC=CUSTOM_HW_NIC_ROOT{extra}");
        response.Status.ShouldBe(HttpStatusCode.BadRequest);
        response.ErrorDetail.ShouldContain(detail);
    }

    [Theory] // Placement's granular-same-subtree gabbit, request counts
    [InlineData("resources_COMPUTE=VCPU:1&resources_ACCEL=CUSTOM_FPGA:1&group_policy=none", 6)]
    [InlineData("resources_COMPUTE=VCPU:1&resources_ACCEL=CUSTOM_FPGA:1&same_subtree=_COMPUTE&group_policy=none", 6)]
    [InlineData("resources_COMPUTE=VCPU:1&resources_ACCEL=CUSTOM_FPGA:1&same_subtree=_COMPUTE,_ACCEL&group_policy=none", 3)]
    [InlineData("resources_COMPUTE1=VCPU:1&resources_COMPUTE2=MEMORY_MB:1024&same_subtree=_COMPUTE1,_COMPUTE2&group_policy=none", 3)]
    [InlineData("resources_COMPUTE1=VCPU:1&resources_COMPUTE2=MEMORY_MB:1024&same_subtree=_COMPUTE1,_COMPUTE2&group_policy=isolate", 0)]
    [InlineData("resources=VCPU:1&resources_PORT1=CUSTOM_VF:4&required_PORT1=CUSTOM_PHYSNET1&resources_PORT2=CUSTOM_VF:4" +
        "&required_PORT2=CUSTOM_PHYSNET2&group_policy=none", 2)]
    [InlineData(Nic4Vfs + "&group_policy=none", 1)]
    [InlineData("resources=VCPU:1&required_NIC=CUSTOM_HW_NIC_ROOT&resources_PORT1=CUSTOM_VF:2&required_PORT1=CUSTOM_PHYSNET1" +
        "&resources_PORT2=CUSTOM_VF:2&required_PORT2=CUSTOM_PHYSNET2&same_subtree=_NIC,_PORT1,_PORT2&group_policy=none", 5)]
    [InlineData("resources=VCPU:1&required_NIC=CUSTOM_HW_NIC_ROOT&resources_PORT1=CUSTOM_VF:2&required_PORT1=CUSTOM_PHYSNET1" +
        "&resources_PORT2=CUSTOM_VF:2&required_PORT2=CUSTOM_PHYSNET2&same_subtree=_NIC,_PORT1,_PORT2&group_policy=isolate", 5)]
    [InlineData("resources=VCPU:1&required_NIC=CUSTOM_HW_NIC_ROOT&resources_PORT1=CUSTOM_VF:2&required_PORT1=CUSTOM_PHYSNET1" +
        "&resources_PORT2A=CUSTOM_VF:1&required_PORT2A=CUSTOM_PHYSNET2&resources_PORT2B=CUSTOM_VF:1&required_PORT2B=CUSTOM_PHYSNET2" +
        "&same_subtree=_NIC,_PORT1,_PORT2A,_PORT2B&group_policy=none", 9)]
    [InlineData("resources=VCPU:1&required_NIC=CUSTOM_HW_NIC_ROOT&resources_PORT1=CUSTOM_VF:2&required_PORT1=CUSTOM_PHYSNET1" +
        "&resources_PORT2A=CUSTOM_VF:1&required_PORT2A=CUSTOM_PHYSNET2&resources_PORT2B=CUSTOM_VF:1&required_PORT2B=CUSTOM_PHYSNET2" +
        "&same_subtree=_NIC,_PORT1,_PORT2A,_PORT2B&group_policy=isolate", 4)]
    [InlineData("resources_PORT1=CUSTOM_VF:8&required_PORT2=CUSTOM_PHYSNET1&same_subtree=_PORT1,_PORT2&group_policy=none", 1)]
    [InlineData("resources_PORT1=CUSTOM_VF:8&required_PORT2=CUSTOM_PHYSNET1&same_subtree=_PORT1,_PORT2&group_policy=isolate", 0)]
    [InlineData("resources_COMPUTE1=VCPU:1&required_COMPUTE2=CUSTOM_FOO&required_COMPUTE3=HW_NUMA_ROOT" +
        "&same_subtree=_COMPUTE1,_COMPUTE2,_COMPUTE3&group_policy=none", 1)]
    [InlineData("resources_COMPUTE1=VCPU:1&required_COMPUTE2=CUSTOM_FOO&required_COMPUTE3=HW_NUMA_ROOT" +
        "&same_subtree=_COMPUTE1,_COMPUTE2,_COMPUTE3&group_policy=isolate", 0)]
    [InlineData("required_NUMA=HW_NUMA_ROOT&resources_ACCEL1=CUSTOM_FPGA:1&resources_ACCEL2=CUSTOM_FPGA:1" +
        "&same_subtree=_NUMA,_ACCEL1,_ACCEL2&group_policy=isolate", 2)]
    [InlineData("required_NUMA=HW_NUMA_ROOT&resources_ACCEL1=CUSTOM_FPGA:1&resources_ACCEL2=CUSTOM_FPGA:1" +
        "&same_subtree=_NUMA,_ACCEL1,_ACCEL2,_NUMA,_ACCEL1&group_policy=isolate", 2)]
    [InlineData("required_NUMA=HW_NUMA_ROOT,!CUSTOM_FOO&resources_ACCEL1=CUSTOM_FPGA:1&resources_ACCEL2=CUSTOM_FPGA:1" +
        "&same_subtree=_NUMA,_ACCEL1,_ACCEL2&group_policy=isolate", 0)]
    public async Task PA46_SameSubtree_Counts(string query, int expected) =>
        (await RequestsAsync(query)).Count.ShouldBe(expected);

    [Fact]
    public async Task PA43_ResourcelessGroup_OnlyInMappings()
    {
        var request = (await RequestsAsync(Nic4Vfs + "&group_policy=none")).ShouldHaveSingleItem()!;
        request["allocations"]!.AsObject().Select(a => a.Key).ShouldBe([U("cn2"), U("pf1_1"), U("pf1_2")], ignoreOrder: true);
        var mappings = request["mappings"]!.AsObject();
        mappings.Count.ShouldBe(4);
        mappings["_NIC"]!.AsArray().Single()!.GetValue<string>().ShouldBe(U("nic1"));
        mappings["_PORT1"]!.AsArray().Single()!.GetValue<string>().ShouldBe(U("pf1_1"));
    }

    [Theory] // found by differential testing against Placement 8.0.0
    [InlineData("resources=VCPU:1&required_NIC=!CUSTOM_FOO&same_subtree=_NIC&group_policy=none", 0)]
    [InlineData("resources=VCPU:1&member_of_NIC=!5e08ea53-c4c6-448e-9334-ac4953de3cfa&same_subtree=_NIC&group_policy=none", 0)]
    [InlineData("resources=VCPU:1&required_NIC=CUSTOM_HW_NIC_ROOT,!CUSTOM_FOO&same_subtree=_NIC&group_policy=none", 3)]
    public async Task PA43_ResourcelessGroup_SelectsOnlyByARequiredTraitOrAggregate(string query, int expected) =>
        (await RequestsAsync(query)).Count.ShouldBe(expected);

    [Fact] // found by differential testing against Placement 8.0.0
    public async Task PA43_ResourcelessGroup_IgnoresInTree()
    {
        var requests = await RequestsAsync($"resources_COMPUTE=VCPU:1&required_NIC=CUSTOM_HW_NIC_ROOT&in_tree_NIC={U("cn1")}" +
            "&same_subtree=_COMPUTE,_NIC&group_policy=none");
        requests.Select(r => r!["mappings"]!["_NIC"]!.AsArray().Single()!.GetValue<string>())
            .ShouldBe([U("nic1"), U("nic2"), U("nic3")], ignoreOrder: true);
    }

    [Fact]
    public async Task PA46_SeveralSameSubtrees_EachIndependent()
    {
        var request = (await RequestsAsync("required_NUMA=HW_NUMA_ROOT&resources_COMPUTE=VCPU:2,MEMORY_MB:512" +
            "&resources_FPGA=CUSTOM_FPGA:1&resources_GPU=VGPU:1&required_SRIOV=CUSTOM_VNIC_TYPE_DIRECT" +
            "&resources_NET1=NET_BW_EGR_KILOBIT_PER_SEC:100&required_NET1=CUSTOM_PHYSNET1" +
            "&resources_NET2=NET_BW_EGR_KILOBIT_PER_SEC:100&required_NET2=CUSTOM_PHYSNET2" +
            "&same_subtree=_NUMA,_COMPUTE,_GPU,_FPGA&same_subtree=_SRIOV,_NET1,_NET2&group_policy=none")).ShouldHaveSingleItem()!;
        var allocations = request["allocations"]!.AsObject();
        allocations[U("numa0")]!["resources"]!["MEMORY_MB"]!.GetValue<int>().ShouldBe(512);
        allocations.Select(a => a.Key).ShouldBe([U("numa0"), U("fpga0"), U("pgpu0"), U("esn1"), U("esn2")], ignoreOrder: true);
        request["mappings"]!["_SRIOV"]!.AsArray().Single()!.GetValue<string>().ShouldBe(U("sriov_agent"));
        request["mappings"]!["_NUMA"]!.AsArray().Single()!.GetValue<string>().ShouldBe(U("numa0"));
    }
}

/// <summary>PA-46 and PA-49 with cn1 and cn2 under empty ancestors (one tree): chains of same_subtree sets, and
/// summaries for every provider of the used tree.</summary>
public sealed class DeepSameSubtreeTests(DeepNumaNetworkFixture layout) : IClassFixture<DeepNumaNetworkFixture>
{
    [Theory]
    [InlineData("resources_COMPUTE=VCPU:1&required_COMPUTE=CUSTOM_FOO&required_NIC=CUSTOM_HW_NIC_ROOT&resources_PORT1=CUSTOM_VF:2" +
        "&required_PORT1=CUSTOM_PHYSNET1&same_subtree=_NIC,_COMPUTE&same_subtree=_NIC,_PORT1&group_policy=none")]
    [InlineData("resources_COMPUTE=VCPU:1&required_COMPUTE=CUSTOM_FOO&resources_PORT1=CUSTOM_VF:2&required_PORT1=CUSTOM_PHYSNET1" +
        "&same_subtree=_COMPUTE,_PORT1&group_policy=none")]
    [InlineData("resources_COMPUTE=VCPU:1&resources_PORT1=CUSTOM_VF:2&required_PORT1=CUSTOM_PHYSNET1" +
        "&same_subtree=_COMPUTE,_PORT1&group_policy=none")]
    public async Task PA46_DeepTree_ComputeAnchorsThePorts(string query)
    {
        var response = await SameSubtreeTests.GetAsync(layout.Server, query);
        response.Status.ShouldBe(HttpStatusCode.OK, response.Text);
        var requests = response.Json["allocation_requests"]!.AsArray();
        requests.Select(r => r!["mappings"]!["_COMPUTE"]!.AsArray().Single()!.GetValue<string>()).ShouldAllBe(u => u == layout.Uuid["cn2"]);
        requests.SelectMany(r => r!["allocations"]!.AsObject().Select(a => a.Key)).Where(u => u != layout.Uuid["cn2"])
            .ShouldBe([layout.Uuid["pf1_1"], layout.Uuid["pf2_1"], layout.Uuid["pf2_3"], layout.Uuid["pf3_1"]], ignoreOrder: true);
        response.Json["provider_summaries"]!.AsObject().Count.ShouldBe(26);
    }
}
