using PciPassthrough.Core.Pools;
using PciPassthrough.Core.Requests;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRequests;

namespace PciPassthrough.Core.Tests.Requests;

/// <summary>03 §4-5: how a request's policy and a port's spec map meet a host's pools (the matching itself is 04).</summary>
public sealed class PciRequestMatchingTests
{
    /// <summary>One device on NUMA node 1 of a two-cell host.</summary>
    private static DevicePools FarDevice(NovaRelease release = NovaRelease.Latest) =>
        new PciHostBuilder(release).WithCell(0, 0).WithCell(1, 0).WithSpec("""{"vendor_id": "8086"}""")
            .With(PciRecords.Plain("0000:81:00.0", numa: 1)).Build().Pools;

    [Theory]
    [InlineData(new[] { 0 }, false)] // RQ-22: legacy takes affine or NUMA-less devices only
    [InlineData(new[] { 1 }, true)] // RQ-22
    [InlineData(null, true)] // RQ-22
    public void RQ22_NoPolicy_BehavesAsLegacy(int[]? cells, bool fits)
    {
        var pools = FarDevice();
        pools.Supports([Alias(1, "vendor_id=8086")], cells).ShouldBe(fits);
        pools.Supports([Alias(1, "vendor_id=8086", PciNumaPolicy.Legacy)], cells).ShouldBe(fits);
    }

    [Theory]
    [InlineData(PciNumaPolicy.Required)] // RQ-24
    [InlineData(PciNumaPolicy.Socket)] // RQ-24
    [InlineData(PciNumaPolicy.Legacy)] // RQ-24
    [InlineData(PciNumaPolicy.Preferred)] // RQ-24
    public void RQ24_WithoutGuestNumaTopology_EveryPolicyIgnored(PciNumaPolicy policy)
    {
        FarDevice().Supports([Alias(1, "vendor_id=8086", policy)], hostCellIds: null).ShouldBeTrue();
        FarDevice(NovaRelease.Zed).Supports([Alias(1, "vendor_id=8086", policy)], hostCellIds: null).ShouldBeTrue();
    }

    [Fact]
    public void RQ24_WithGuestNumaTopology_RequiredEnforced() =>
        FarDevice().Supports([Alias(1, "vendor_id=8086", PciNumaPolicy.Required)], [0]).ShouldBeFalse();

    private const string DirectPort = "physical_network=physnet1;remote_managed=False";

    [Theory]
    [InlineData("""{"physical_network": "physnet1"}""", DirectPort, true)] // RQ-27: a VF
    [InlineData("""{"physical_network": "PhysNet1"}""", DirectPort, true)] // RQ-27: physnet case-insensitive
    [InlineData("""{"physical_network": "physnet2"}""", DirectPort, false)] // RQ-27
    [InlineData("""{"physical_network": null}""", "physical_network=null;remote_managed=False", true)] // RQ-27: null tag
    [InlineData("""{"vendor_id": "8086"}""", "physical_network=null;remote_managed=False", true)] // RQ-27: absent tag
    [InlineData("""{"physical_network": "physnet1"}""", "physical_network=null;remote_managed=False", false)] // RQ-27
    [InlineData("""{"physical_network": "physnet1"}""", DirectPort + ";trusted=False", false)] // RQ-27: no trusted tag
    [InlineData("""{"physical_network": "physnet1", "trusted": "false"}""", DirectPort + ";trusted=False", true)] // RQ-27
    [InlineData("""{"physical_network": "physnet1", "trusted": "true"}""", DirectPort, true)] // RQ-27: any trusted
    public void RQ27_DirectPort_GetsAMatchingVf(string spec, string port, bool fits) =>
        new PciHostBuilder().WithSpec(spec).With(PciRecords.Vf("0000:81:02.0", "0000:81:00.0")).Build().Pools
            .Supports([Port(port)]).ShouldBe(fits);

    [Fact]
    public void RQ27_DirectPort_NeverAPfUnlessAsked()
    {
        var pools = new PciHostBuilder().WithSpec("""{"physical_network": "physnet1"}""")
            .With(PciRecords.Pf("0000:81:00.0")).Build().Pools;
        pools.Supports([Port(DirectPort)]).ShouldBeFalse();
        pools.Supports([Port(DirectPort + ";dev_type=type-PF")]).ShouldBeTrue();
    }

    [Fact]
    public void RQ27_DirectPort_NeverATypePciDevice() =>
        new PciHostBuilder().WithSpec("""{"physical_network": "physnet1"}""").With(PciRecords.Plain("0000:81:00.0"))
            .Build().Pools.Supports([Port(DirectPort)]).ShouldBeFalse();

    [Fact]
    public void RQ28_PortRequest_IgnoresAnyProviderMapping()
    {
        KeyValuePair<string, IReadOnlyList<string>>[] mapping = [new("r1-0", ["rp-a"]), new("p1-0", ["rp-b"])];
        PoolFilter.RpUuidsOf(Alias(1, "vendor_id=8086"), mapping).ShouldBe(["rp-a"]);
        PoolFilter.RpUuidsOf(Port(DirectPort), mapping).ShouldBeEmpty();
        PoolFilter.StoredRpUuids(Port(DirectPort + ";rp_uuids=rp-b")).ShouldBeEmpty();
    }
}
