using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Scheduling.Filters;
using PciPassthrough.Testing.Devices;
using PciPassthrough.Testing.Scheduling;
using static PciPassthrough.Testing.Devices.PciRecords;

namespace PciPassthrough.Core.Tests.Scheduling;

/// <summary>05 NF-17: the remote-managed ports prefilter (newest rules only).</summary>
public sealed class RemoteManagedPortsPrefilterTests
{
    private static readonly RequestedPort _remoteManaged = new() { Id = "p1", VnicType = VnicType.RemoteManaged };
    private static readonly RequestedPort _direct = new() { Id = "p2", VnicType = VnicType.Direct };

    [Theory]
    [InlineData(NovaRelease.Latest, true, new[] { RemoteManagedPortsPrefilter.Trait })] // NF-17
    [InlineData(NovaRelease.Latest, false, new string[0])] // NF-17: no remote-managed port, no trait
    [InlineData(NovaRelease.Zed, true, new string[0])] // scenario-format §6: Zed does not apply it
    public void NF17_RemoteManagedPort_RequiresTheTraitUnderLatestOnly(NovaRelease release, bool remoteManaged, string[] traits) =>
        RemoteManagedPortsPrefilter.RequiredTraits(remoteManaged ? [_direct, _remoteManaged] : [_direct], release).ShouldBe(traits);

    [Theory]
    [InlineData(true, true, 3, true)] // NF-17
    [InlineData(true, true, 0, true)] // NF-17: the count is ignored (all devices taken)
    [InlineData(false, true, 3, false)] // NF-17: the driver must support remote-managed ports
    [InlineData(true, false, 3, false)] // NF-17: no remote-managed pool
    public void NF17_HostReportsTrait_WithDriverSupportAndARemoteManagedPool(bool driver, bool remoteManagedPool, int free, bool reports)
    {
        var tracker = Host(remoteManagedPool);
        if (free == 0)
        {
            tracker.ClaimForInstance("vm", [PciRequests.Alias(3, "product_id=101e;remote_managed=true")]).Count.ShouldBe(3);
        }

        RemoteManagedPortsPrefilter.ReportsTrait(driver, tracker.Pools.Pools).ShouldBe(reports);
    }

    [Fact]
    public void NF17_HostWithoutTheTrait_IsLeftOutByPlacement()
    {
        var server = SchedulingBuilders.Server(0) with { RequiredTraits = RemoteManagedPortsPrefilter.RequiredTraits([_remoteManaged], NovaRelease.Latest) };
        var without = SchedulingBuilders.Host("plain", vfs: 2);
        var with = without with { Name = "smartnic", Traits = new HashSet<string>([RemoteManagedPortsPrefilter.Trait]) };

        var decision = HostScheduler.Default.Schedule([without, with], server);

        decision.Chosen.ShouldBe(1);
        decision.Rejections[0].ShouldBe(new Rejection(HostChecks.Placement,
            $"the compute node lacks the required trait {RemoteManagedPortsPrefilter.Trait}"));
        new CapacityFilter().Check(with, server).ShouldBeNull();
    }

    private static PciDeviceTracker Host(bool remoteManaged)
    {
        var builder = new PciHostBuilder()
            .WithSpec($$"""{"vendor_id": "15b3", "product_id": "101e", "remote_managed": "{{(remoteManaged ? "true" : "false")}}"}""")
            .With(Pf("0000:3b:00.0", "15b3", "a2d6"));
        for (var i = 1; i <= 3; i++)
        {
            builder.With(Vf($"0000:3b:10.{i}", "0000:3b:00.0", "15b3", "101e") with { CardSerialNumber = "MT2113X00000" });
        }

        return builder.Build();
    }
}
