using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Scheduling;
using static PciPassthrough.Testing.Numa.NumaBuilders;
using static PciPassthrough.Testing.Scheduling.SchedulingBuilders;

namespace PciPassthrough.Core.Tests.Scheduling;

/// <summary>The compute-side claim (05 NF-21, scenario-format SIM-36).</summary>
public sealed class ComputeClaimTests
{
    [Fact]
    public void NF21_Fits_ClaimsAndAllocatesTheDevicesOnTheFittedCells()
    {
        var tracker = Tracker(vfs: 3);

        var claim = ComputeClaim.Claim(Host("h", vfs: 3), tracker, Server(vfs: 2, Guest(1, 2, 1024)));

        claim.Numa!.Cells.Single().HostCellId.ShouldBe(0);
        claim.Picks.Count.ShouldBe(2);
        tracker.Devices.Count(d => d.Status == PciDeviceStatus.Allocated && d.InstanceId == "vm").ShouldBe(2);
    }

    [Fact]
    public void NF21_GuestThatDoesNotFit_AndTooFewDevices_GiveOneErrorWithBothReasons()
    {
        var tracker = Tracker(vfs: 1);

        var error = Should.Throw<PciException>(() =>
            ComputeClaim.Claim(Host("h", vfs: 1), tracker, Server(vfs: 2, Guest(1, 2, 65536)))).Error;

        error.Kind.ShouldBe(ComputeClaim.ComputeResourcesUnavailable);
        error.Message.ShouldBe("Requested instance NUMA topology together with requested PCI devices cannot fit the given host " +
            "NUMA topology; Claim pci failed");
        tracker.Devices.ShouldAllBe(d => d.Status == PciDeviceStatus.Available);
    }

    [Fact]
    public void NF21_GuestWithoutPciThatDoesNotFit_SaysSoWithoutThePciPart() =>
        Should.Throw<PciException>(() => ComputeClaim.Claim(Host("h", vfs: 0), Tracker(vfs: 0), Server(vfs: 0, Guest(1, 2, 65536))))
            .Error.Message.ShouldBe("Requested instance NUMA topology cannot fit the given host NUMA topology");

    [Fact]
    public void NF21_WithoutPciRequests_TheFitIgnoresThePools()
    {
        // SIM-36 / §7 item 1: no pools → no PCI cell ordering, so the first fitting cell in plain order wins
        var host = Host("h", vfs: 2) with { Numa = new HostNumaTopology([HostCell(0, 0, 8, 16384), HostCell(1, 8, 8, 16384)]) };

        ComputeClaim.Claim(host, Tracker(vfs: 2), Server(vfs: 0, Guest(1, 1, 512))).Numa!.Cells.Single().HostCellId.ShouldBe(0);
    }
}
