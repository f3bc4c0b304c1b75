using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Placement;
using PciPassthrough.Core.PlacementApi;
using PciPassthrough.Core.Requests;
using PciPassthrough.Testing.Devices;

namespace PciPassthrough.Core.Tests.Requests;

public sealed class PlacementRequestTests
{
    private static readonly Dictionary<string, int> _flavorResources = new() { ["VCPU"] = 2, ["MEMORY_MB"] = 2048, ["DISK_GB"] = 0 };

    private static PciRequest Alias(string requestId, int count, params (string Key, string? Value)[] spec) => new()
    {
        Count = count,
        Specs = [spec.ToDictionary(p => p.Key, p => p.Value)],
        AliasName = "a",
        RequestId = requestId,
    };

    private static PciRequest Port(string requestId) => new()
    {
        Count = 1,
        Specs = [new Dictionary<string, string?> { ["dev_type"] = "type-VF", ["physical_network"] = "physnet1" }],
        RequesterId = "port-1",
        RequestId = requestId,
    };

    private static PlacementRequest Build(
        IReadOnlyList<PciRequest> requests, GroupPolicy? groupPolicy = null, PciNumaPolicy? numaPolicy = null,
        IReadOnlyList<RequestGroup>? flavorGroups = null, bool pciInPlacement = true) =>
        PlacementRequest.Build(_flavorResources, [], flavorGroups ?? [], groupPolicy, numaPolicy, requests, pciInPlacement);

    private static RequestGroup FlavorGroup(string suffix) =>
        new(suffix, new Dictionary<string, int> { ["CUSTOM_X"] = 1 }, TraitFilter.None, AggregateFilter.None, null);

    private static string Describe(RequestGroup group) =>
        $"{group.Suffix} {string.Join(",", group.Resources.Select(r => $"{r.Key}:{r.Value}"))} " +
        $"[{string.Join(",", group.Required.AnyOf.SelectMany(s => s))}]";

    [Fact]
    public void PM24_IdsAlias_OneSingleDeviceGroupPerRequestedDevice()
    {
        var request = Build([Alias("R", 2, ("vendor_id", "8086"), ("product_id", "154d"))]);

        Assert.Equal(
            ["R-0 CUSTOM_PCI_8086_154D:1 []", "R-1 CUSTOM_PCI_8086_154D:1 []"],
            request.Numbered.Select(Describe));
    }

    [Fact]
    public void PM24_ResourceClassAndTraits_AreNormalised()
    {
        var request = Build([Alias("R", 1, ("resource_class", "foo"), ("traits", "bar,baz"))]);

        Assert.Equal(["R-0 CUSTOM_FOO:1 [CUSTOM_BAR,CUSTOM_BAZ]"], request.Numbered.Select(Describe));
    }

    [Fact]
    public void PM24_StandardResourceClass_IsKept()
    {
        var request = Build([Alias("R", 1, ("resource_class", "PGPU"))]);

        Assert.Equal(["R-0 PGPU:1 []"], request.Numbered.Select(Describe));
    }

    [Fact]
    public void PM24_PortRequestsAndPlacementOff_ProduceNoGroup()
    {
        Assert.Empty(Build([Port("P")]).Numbered);
        Assert.Empty(Build([Alias("R", 2, ("vendor_id", "8086"), ("product_id", "154d"))], pciInPlacement: false).Numbered);
    }

    [Fact]
    public void PM24_AliasWithTwoSpecs_IsAnInternalError()
    {
        var twoSpecs = Alias("R", 1, ("vendor_id", "8086"), ("product_id", "154d")) with
        {
            Specs = [new Dictionary<string, string?> { ["vendor_id"] = "8086", ["product_id"] = "154d" },
                new Dictionary<string, string?> { ["vendor_id"] = "8086", ["product_id"] = "1572" }],
        };

        var error = Assert.Throws<PciException>(() => Build([twoSpecs])).Error;

        Assert.Equal(PciErrorKinds.NovaException, error.Kind);
        Assert.Contains("2 specs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PM24_RootGroup_KeepsTheFlavorResourcesWithoutZeros()
    {
        var request = Build([Alias("R", 1, ("vendor_id", "8086"), ("product_id", "154d"))]);

        Assert.Equal(" VCPU:2,MEMORY_MB:2048 []", Describe(request.Root));
    }

    [Theory]
    [InlineData(PciNumaPolicy.Socket, true)] // RQ-23
    [InlineData(PciNumaPolicy.Required, false)]
    [InlineData(PciNumaPolicy.Preferred, false)]
    [InlineData(PciNumaPolicy.Legacy, false)]
    [InlineData(null, false)]
    public void RQ23_SocketPolicy_RequiresTheSocketTraitOnTheRootGroup_EvenWithoutPciDevices(PciNumaPolicy? policy, bool expected)
    {
        var request = Build([], numaPolicy: policy, pciInPlacement: false);

        Assert.Equal(expected, request.Root.Required.AnyOf.Any(s => s.Contains(PlacementRequest.SocketAffinityTrait)));
        Assert.Empty(request.Numbered);
    }

    [Fact]
    public void PM26_TwoPciGroupsWithoutFlavorPolicy_DefaultToNone()
    {
        var request = Build([Alias("R", 2, ("vendor_id", "8086"), ("product_id", "154d"))]);

        Assert.Equal(GroupPolicy.None, request.GroupPolicy);
        Assert.False(request.RejectedByPlacement);
        Assert.False(request.ToCandidateQuery(1000).Isolate);
    }

    [Fact]
    public void PM26_OneFlavorGroupPlusPciGroups_DefaultToNone()
    {
        var request = Build([Alias("R", 1, ("vendor_id", "8086"), ("product_id", "154d"))], flavorGroups: [FlavorGroup("1")]);

        Assert.Equal(GroupPolicy.None, request.GroupPolicy);
    }

    [Fact]
    public void PM26_TwoFlavorGroupsWithoutPolicy_PlacementRejectsTheQuery()
    {
        var request = Build([Alias("R", 1, ("vendor_id", "8086"), ("product_id", "154d"))],
            flavorGroups: [FlavorGroup("1"), FlavorGroup("2")]);

        Assert.Null(request.GroupPolicy);
        Assert.True(request.RejectedByPlacement);
        Assert.Throws<InvalidOperationException>(() => request.ToCandidateQuery(null));
    }

    [Fact]
    public void PM26_FlavorPolicy_Wins()
    {
        var request = Build([Alias("R", 2, ("vendor_id", "8086"), ("product_id", "154d"))], GroupPolicy.Isolate);

        Assert.True(request.ToCandidateQuery(null).Isolate);
    }

    [Fact]
    public void PM26_Isolate_TakesEachVfFromADifferentPf_NoneAllowsOnePf()
    {
        var snapshot = HostWithTwoVfProviders("CUSTOM_PCI_8086_154D");
        var alias = Alias("R", 2, ("vendor_id", "8086"), ("product_id", "154d"));

        var isolated = AllocationCandidateGenerator.Generate(snapshot, Build([alias], GroupPolicy.Isolate).ToCandidateQuery(null)).ToList();
        var shared = AllocationCandidateGenerator.Generate(snapshot, Build([alias]).ToCandidateQuery(null)).ToList();

        Assert.NotEmpty(isolated);
        Assert.All(isolated, c => Assert.NotEqual(c.Mappings["R-0"][0], c.Mappings["R-1"][0]));
        Assert.Contains(shared, c => c.Mappings["R-0"][0] == c.Mappings["R-1"][0]);
    }

    [Fact]
    public void PM25_AliasIdsClassDiffersFromTheReportedClass_NoCandidate()
    {
        var snapshot = HostWithTwoVfProviders("CUSTOM_A16_16A");
        var alias = Alias("R", 1, ("vendor_id", "10de"), ("product_id", "25b6"));

        Assert.Empty(AllocationCandidateGenerator.Generate(snapshot, Build([alias]).ToCandidateQuery(null)));
        Assert.NotEmpty(AllocationCandidateGenerator.Generate(
            snapshot, Build([alias with { Specs = [new Dictionary<string, string?> { ["resource_class"] = "A16_16A" }] }]).ToCandidateQuery(null)));
    }

    [Fact]
    public void RQ23_SocketTrait_OnlyHostsThatReportItGetCandidates()
    {
        var alias = Alias("R", 1, ("vendor_id", "8086"), ("product_id", "154d"));
        var query = Build([alias], numaPolicy: PciNumaPolicy.Socket).ToCandidateQuery(null);

        Assert.Empty(AllocationCandidateGenerator.Generate(HostWithTwoVfProviders("CUSTOM_PCI_8086_154D"), query));
        Assert.NotEmpty(AllocationCandidateGenerator.Generate(
            HostWithTwoVfProviders("CUSTOM_PCI_8086_154D", PlacementRequest.SocketAffinityTrait), query));
    }

    private static PlacementSnapshot HostWithTwoVfProviders(string resourceClass, params string[] computeTraits)
    {
        static Dictionary<string, InventoryState> Inventory(string rc, int total) =>
            new() { [rc] = new InventoryState(total, 0, 1, total, 1, 1.0, 0) };
        var noAggregates = new HashSet<string>();
        return new PlacementSnapshot([
            new ProviderState("cn", null, "cn", 0, Inventory("VCPU", 8)
                .Concat(Inventory("MEMORY_MB", 8192)).ToDictionary(), new HashSet<string>(computeTraits), noAggregates),
            new ProviderState("pf0", "cn", "cn", 1, Inventory(resourceClass, 4), new HashSet<string> { "COMPUTE_MANAGED_PCI_DEVICE" }, noAggregates),
            new ProviderState("pf1", "cn", "cn", 2, Inventory(resourceClass, 4), new HashSet<string> { "COMPUTE_MANAGED_PCI_DEVICE" }, noAggregates),
        ]);
    }

    [Fact]
    public void PM27_ChosenProviders_AreStoredInTheFirstSpecMapInMappingOrder()
    {
        var alias = Alias("R", 2, ("vendor_id", "8086"), ("product_id", "154d"));
        var mapping = new Dictionary<string, IReadOnlyList<string>> { ["R-0"] = ["pf1"], ["other-0"] = ["pf9"], ["R-1"] = ["pf0"] };

        var chosen = alias.WithChosenProviders(mapping);

        Assert.Equal("pf1,pf0", chosen.Specs[0]["rp_uuids"]);
        Assert.Equal("8086", chosen.Specs[0]["vendor_id"]);
        Assert.False(alias.Specs[0].ContainsKey("rp_uuids"));
        var port = Port("P");
        Assert.Same(port, port.WithChosenProviders(mapping));
    }

    [Fact]
    public void PM28_PhysnetDevicesHaveNoProvider_SoAPlacementAllocationNeverUsesThem()
    {
        var host = new PciHostBuilder()
            .WithSpec("""{"vendor_id": "8086", "product_id": "1515", "physical_network": "physnet1"}""")
            .WithSpec("""{"vendor_id": "8086", "product_id": "1516"}""")
            .WithPfAndVfs("0000:01:00.0", 1, vfProduct: "1515")
            .WithPfAndVfs("0000:02:00.0", 1, vfProduct: "1516");
        var anyVf = Alias("R", 1, ("vendor_id", "8086"), ("dev_type", "type-VF"));
        var withoutPlacement = host.Build().Pools.Consume([anyVf with { Count = 2 }]);
        Assert.Contains(withoutPlacement, pick => pick.Device.Address == "0000:01:10.1");

        var tracker = host.Build();
        var view = PciPlacementView.Build("cmp", host.ParseSpecs(), tracker.Devices, NovaRelease.Latest);
        PciPlacementPlan.Create(view, PlacementState.Empty, () => "vf-provider", []).RecordProviders(tracker.Pools);
        var placed = anyVf.WithChosenProviders(new Dictionary<string, IReadOnlyList<string>> { ["R-0"] = ["vf-provider"] });
        Assert.Equal("0000:02:10.1", Assert.Single(tracker.Pools.Consume([placed])).Device.Address);
        Assert.Throws<PciException>(() => tracker.Pools.Consume([placed]));
        Assert.Null(tracker.Devices.Single(d => d.Address == "0000:01:10.1").ProviderUuid);
    }
}
