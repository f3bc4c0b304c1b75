using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Placement;
using PciPassthrough.Core.PlacementApi;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Numa.NumaBuilders;
using static PciPassthrough.Testing.Scheduling.SchedulingBuilders;

namespace PciPassthrough.Core.Tests.Scheduling;

/// <summary>06 §7: hosts, PCI groups and chosen providers when the scheduler places PCI devices through Placement.</summary>
public sealed class PlacementSchedulingTests
{
    private static readonly HashSet<string> _none = [];

    /// <summary>A compute reported as the agent would: <paramref name="pfs"/> PFs with 2 VFs each, one provider per PF.</summary>
    private static (HostState Host, IEnumerable<ProviderState> Providers) Compute(string name, int pfs)
    {
        var builder = new PciHostBuilder().WithCell(0, 0).WithReportInPlacement().WithSpec(VfSpec);
        for (var pf = 1; pf <= pfs; pf++)
        {
            builder.WithPfAndVfs($"0000:8{pf}:00.0", 2, numa: 0);
        }

        var tracker = builder.Build();
        var view = PciPlacementView.Build(name, builder.ParseSpecs(), tracker.Devices, NovaRelease.Latest);
        var next = 0;
        var plan = PciPlacementPlan.Create(view, PlacementState.Empty, () => $"{name}-pf{++next}", []);
        plan.RecordProviders(tracker.Pools);
        var host = new HostState
        {
            Name = name,
            Capacity = HostCapacity.Create(16, 0, 32768, 16.0, 1.5, 512),
            Pools = tracker.Pools.SchedulerView(),
            Numa = new HostNumaTopology([HostCell(0, 0, 16, 32768, socket: 0)]),
        };
        var root = new ProviderState($"{name}-cn", null, $"{name}-cn", 0, new Dictionary<string, InventoryState>
        {
            ["VCPU"] = new(16, 0, 1, 16, 1, 16.0, 0),
            ["MEMORY_MB"] = new(32768, 0, 1, 32768, 1, 1.5, 0),
        }, _none, _none);
        var children = plan.Providers.Select((p, i) => new ProviderState(p.Uuid, root.Uuid, root.Uuid, i + 1,
            new Dictionary<string, InventoryState> { [p.ResourceClass] = new(p.Total, 0, 1, p.Total, 1, 1.0, 0) }, p.Traits, _none));
        return (host, [root, .. children]);
    }

    private static PlacementSchedulingResult Schedule(ServerRequest server, GroupPolicy? policy = null, params (string Name, int Pfs)[] fleet)
    {
        var computes = fleet.Select(f => Compute(f.Name, f.Pfs)).ToList();
        var snapshot = new PlacementSnapshot(computes.SelectMany(c => c.Providers));
        var placement = PlacementRequest.Build(
            new Dictionary<string, int> { ["VCPU"] = 2, ["MEMORY_MB"] = 2048 }, [], [], policy, null, server.PciRequests, pciInPlacement: true);
        return PlacementScheduling.Schedule(HostScheduler.Default, [.. computes.Select(c => c.Host)],
            fleet.ToDictionary(f => f.Name, f => $"{f.Name}-cn"), snapshot, placement, server, limit: null);
    }

    private static ServerRequest TwoVfs() => Server(0) with { PciRequests = [PciRequests.Alias(2, VfRequest, PciNumaPolicy.Legacy, requestId: "R")] };

    [Fact]
    public void PM27_HostsWithoutCandidatesAreRejectedByPlacement_TheChosenProvidersAreRecorded()
    {
        var result = Schedule(TwoVfs(), null, ("no-pci", 0), ("nic", 2));

        result.Decision.Chosen.ShouldBe(1);
        result.Decision.Rejections[0]!.Filter.ShouldBe("placement");
        result.Decision.Rejections[0]!.Reason.ShouldContain("R-0: 1 CUSTOM_PCI_8086_1515");
        result.PciRequests[0].Specs[0]["rp_uuids"]!.Split(',').ShouldAllBe(uuid => uuid.StartsWith("nic-pf", StringComparison.Ordinal));
        result.PciRequests[0].Specs[0]["rp_uuids"]!.Split(',').Length.ShouldBe(2);
    }

    [Fact]
    public void PM26_Isolate_ChoosesTwoDifferentPfs()
    {
        var result = Schedule(TwoVfs(), GroupPolicy.Isolate, ("nic", 2));

        result.PciRequests[0].Specs[0]["rp_uuids"]!.Split(',').Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public void PM26_Isolate_OnePfOnly_NoHost()
    {
        var result = Schedule(TwoVfs(), GroupPolicy.Isolate, ("one-pf", 1));

        result.Decision.Chosen.ShouldBeNull();
        result.Decision.Rejections[0]!.Filter.ShouldBe("placement");
        result.PciRequests[0].Specs[0].ContainsKey("rp_uuids").ShouldBeFalse();
    }

    [Fact]
    public void PM26_SeveralFlavorGroupsWithoutPolicy_EveryHostRejectedWithTheFix()
    {
        var computes = new[] { Compute("nic", 2) };
        var flavorGroups = new[] { "1", "2" }.Select(s => new RequestGroup(s, new Dictionary<string, int> { ["VCPU"] = 1 },
            TraitFilter.None, AggregateFilter.None, null)).ToList();
        var placement = PlacementRequest.Build(new Dictionary<string, int>(), [], flavorGroups, null, null, TwoVfs().PciRequests, true);

        var result = PlacementScheduling.Schedule(HostScheduler.Default, [computes[0].Host], new Dictionary<string, string> { ["nic"] = "nic-cn" },
            new PlacementSnapshot(computes[0].Providers), placement, TwoVfs(), null);

        result.Decision.Chosen.ShouldBeNull();
        result.Decision.Rejections.ShouldAllBe(r => r!.Filter == "placement" && r.Reason.Contains("group_policy"));
    }
}
