using System.Text.Json;
using PciPassthrough.Core.Capacity;
using static PciPassthrough.Core.Tests.Simulation.FleetFixtures;

namespace PciPassthrough.Core.Tests.Capacity;

public sealed class CapacityPlannerTests
{
    [Fact]
    public void AsManyAsFit_PerHost_ThenWhatBlocksEveryHost()
    {
        var fleet = FleetOf(Host("h1", gpus: 2), Host("h2", gpus: 1), Host("h3", gpus: 0));
        fleet.Boot(Boot("running", "gpu:1"));

        var report = CapacityPlanner.Plan(fleet, Boot("probe", "gpu:1"));

        report.Fits.ShouldBe(2);
        report.PerHost.ShouldBe(new Dictionary<string, int> { ["h1"] = 1, ["h2"] = 1, ["h3"] = 0 });
        report.Blockers.Select(b => (b.Host, b.Kind)).ShouldBe(
            [("h1", BlockerKind.Devices), ("h2", BlockerKind.Devices), ("h3", BlockerKind.Devices)]);
        report.Blockers.ShouldAllBe(b => b.Reasons.Count > 0);
    }

    [Fact]
    public void ACountThatFits_HasNoBlockers()
    {
        var report = CapacityPlanner.Plan(FleetOf(Host("h1", gpus: 3)), Boot("probe", "gpu:1"), count: 2);

        (report.Fits, report.Asked).ShouldBe((2, 2));
        report.Blockers.ShouldBeEmpty();
    }

    [Fact]
    public void CpuAndMemory_BlockBeforeDevices()
    {
        // (16,384 MiB − 512 reserved) × 1.5 = 23,808 MiB: two 8,000 MiB servers fit, a third does not; a GPU is left
        var report = CapacityPlanner.Plan(FleetOf(Host("h1", gpus: 3)), Boot("probe", "gpu:1", memoryMb: 8000));

        report.Fits.ShouldBe(2);
        report.Blockers.Single().Kind.ShouldBe(BlockerKind.Resources);
    }

    [Fact]
    public void AnAliasNobodyConfigured_IsAnApiErrorAndNothingFits()
    {
        var report = CapacityPlanner.Plan(FleetOf(Host("h1", gpus: 1)), Boot("probe", "nope:1"));

        report.Fits.ShouldBe(0);
        report.ApiError.ShouldNotBeNull().ShouldContain("nope");
    }

    [Fact]
    public void TheFleetIsUnchanged()
    {
        var fleet = FleetOf(Host("h1", gpus: 2), Host("h2", gpus: 2));
        fleet.Boot(Boot("running", "gpu:1"));
        var before = fleet.HostNames.Select(h => JsonSerializer.Serialize(fleet.HostState(h))).ToList();

        CapacityPlanner.Plan(fleet, Boot("probe", "gpu:1"));

        fleet.HostNames.Select(h => JsonSerializer.Serialize(fleet.HostState(h))).ShouldBe(before);
        fleet.Servers.Select(s => s.Name).ShouldBe(["running"]);
    }
}
