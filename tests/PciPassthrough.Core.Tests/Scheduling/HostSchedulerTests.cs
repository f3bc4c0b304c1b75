using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Scheduling;
using static PciPassthrough.Testing.Numa.NumaBuilders;
using static PciPassthrough.Testing.Scheduling.SchedulingBuilders;

namespace PciPassthrough.Core.Tests.Scheduling;

public sealed class HostSchedulerTests
{
    [Fact]
    public void NF18_PciServer_StacksOntoTheHostWithFewerFreeDevices()
    {
        HostState[] hosts = [Host("many", vfs: 8), Host("few", vfs: 2)];

        var decision = HostScheduler.Default.Schedule(hosts, Server(vfs: 1));

        decision.Chosen.ShouldBe(1);
        decision.Rejections.ShouldAllBe(r => r == null);
        decision.Weights.Select(w => w.Key).ShouldBe([0, 1]);
    }

    [Fact]
    public void NF18_ServerWithoutPci_StaysOffThePciRichHost()
    {
        HostState[] hosts = [Host("gpu-rich", vfs: 8), Host("plain", vfs: 0)];

        HostScheduler.Default.Schedule(hosts, Server(vfs: 0)).Chosen.ShouldBe(1);
    }

    [Fact]
    public void NF19_EqualWeights_TheFirstHostWins() =>
        HostScheduler.Default.Schedule([Host("a", vfs: 4), Host("b", vfs: 4)], Server(vfs: 1)).Chosen.ShouldBe(0);

    [Fact]
    public void EveryRejectedHost_KeepsTheFirstFilterThatSaidNo()
    {
        HostState[] hosts =
        [
            Host("small", vfs: 8) with { Capacity = HostCapacity.Create(1, 0, 1024, 1.0, 1.0, 512) },
            Host("no-vfs", vfs: 0),
            Host("fits", vfs: 2),
        ];

        var decision = HostScheduler.Default.Schedule(hosts, Server(vfs: 2));

        decision.Chosen.ShouldBe(2);
        decision.Rejections[0]!.Filter.ShouldBe(HostChecks.Placement);
        decision.Rejections[0]!.Reason.ShouldContain("MEMORY_MB");
        decision.Rejections[1]!.Filter.ShouldBe(HostChecks.PciPassthroughFilter);
        decision.Rejections[2].ShouldBeNull();
    }

    [Fact]
    public void NoHostPasses_NothingIsChosen()
    {
        var decision = HostScheduler.Default.Schedule([Host("a", vfs: 1)], Server(vfs: 3));

        decision.Chosen.ShouldBeNull();
        decision.Weights.ShouldBeEmpty();
        decision.Rejections[0]!.Reason.ShouldContain("3");
    }

    [Fact]
    public void NF16_LaterServersOfAMultiCreate_SeeTheDevicesEarlierOnesTook()
    {
        HostState[] hosts = [Host("roomy", vfs: 4), Host("tight", vfs: 3)];

        var decisions = HostScheduler.Default.ScheduleMany(hosts, Server(vfs: 2), count: 4);

        // stacking (NF-18) fills the tight host first; its last VF is too few for the second server
        decisions.Select(d => d.Chosen).ShouldBe([1, 0, 0, null]);
        hosts[1].Pools!.Pools.Sum(p => p.Count).ShouldBe(3); // the callers' states are untouched
    }

    [Fact]
    public void NF16_Consume_RecordsTheGuestCellsAndTheDevicesOnThem()
    {
        var host = Host("h", vfs: 4);

        var after = HostScheduler.Consume(host, Server(vfs: 1, Guest(1, 2, 1024)));

        after.Pools!.Pools.Sum(p => p.Count).ShouldBe(3);
        after.Numa!.Cells[0].MemoryUsageMb.ShouldBe(1024);
        after.Numa.Cells[0].CpuUsage.ShouldBe(2);
        after.Capacity.Used["MEMORY_MB"].ShouldBe(2048);
        host.Capacity.Used["MEMORY_MB"].ShouldBe(0);
    }

    [Fact]
    public void NF16_SIM38_PinningThatWouldOverlapAnotherGuest_LeavesCellsAndPoolsToTheComputeClaim()
    {
        // CPUs 0–2 held by a guest; the isolate guest's emulator thread lands on 3, whose sibling set is partly held
        var cell = HostNumaCell.Create(0, 32768, [.. Enumerable.Range(0, 8)], [.. Enumerable.Range(0, 8)],
            siblings: [[0, 1, 2, 3], [4, 5, 6, 7]], socket: 0) with
        { PinnedCpus = [0, 1, 2] };
        var host = Host("h", vfs: 4) with { Numa = new HostNumaTopology([cell]) };
        var guest = Guest(1, 1, 1024, CpuPolicy.Dedicated, CpuThreadPolicy.Isolate, emulatorThreads: EmulatorThreadsPolicy.Isolate);

        var after = HostScheduler.Consume(host, Server(vfs: 1, guest));

        after.Numa.ShouldBeSameAs(host.Numa);
        after.Pools.ShouldBeSameAs(host.Pools);
        after.Capacity.Used["MEMORY_MB"].ShouldBe(2048);
    }
}
