using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Numa.NumaBuilders;

namespace PciPassthrough.Core.Tests.Scheduling;

public sealed class HostSchedulerTests
{
    private const string VfSpec = """{"vendor_id": "8086", "product_id": "1515"}""";

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

    private static HostState Host(string name, int vfs)
    {
        var builder = new PciHostBuilder().WithCell(0, 0).WithSpec(VfSpec);
        if (vfs > 0)
        {
            builder.WithPfAndVfs("0000:81:00.0", vfs, numa: 0);
        }

        return new HostState
        {
            Name = name,
            Capacity = HostCapacity.Create(16, 0, 32768, 16.0, 1.5, 512),
            Pools = builder.Build().Pools.SchedulerView(),
            Numa = new HostNumaTopology([HostCell(0, 0, 16, 32768, socket: 0)]),
        };
    }

    private static ServerRequest Server(int vfs) => new()
    {
        Name = "vm",
        Resources = new Dictionary<string, long> { ["VCPU"] = 2, ["MEMORY_MB"] = 2048 },
        PciRequests = vfs == 0 ? [] : [PciRequests.Alias(vfs, "vendor_id=8086;product_id=1515;dev_type=type-VF", PciNumaPolicy.Legacy)],
    };
}
