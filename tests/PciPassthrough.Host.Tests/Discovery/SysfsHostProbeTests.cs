using PciPassthrough.Host.Discovery;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Host.Tests.Discovery;

/// <summary>The 01 PF-address and remote-managed host: PF 0000:0a:00.0 (8086:1572, VFs 154c, netdev eth0), a plain
/// device 0000:0b:00.0, and a loopback-like netdev without a PCI function.</summary>
public sealed class SysfsHostProbeTests : IDisposable
{
    private readonly FakeSysfs _host = new FakeSysfsBuilder()
        .WithSriovNic("0000:0a:00.0", vfs: 1, pfProductId: "1572", vfProductId: "154c", ifname: "eth0")
        .WithDevice("0000:0b:00.0", "8086", "1521", PciClasses.Ethernet)
        .WithSriovNic("0000:0c:00.0", vfs: 0, vendorId: "15b3", pfProductId: "101d", vfProductId: "0abc")
        .Build();

    private SysfsHostProbe Probe => new(_host.Root);

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("0000:0a:00.0", true)] // DS-20 PF with sriov_totalvfs > 0
    [InlineData("0000:0b:00.0", false)] // DS-20 no SR-IOV capability
    [InlineData("0000:0a:02.0", false)] // DS-20 a VF is not a PF
    [InlineData("0:a:0.0", false)] // DS-20 regex texts are used unpadded: that path never exists
    [InlineData("0000:0A:00.0", false)] // DS-20 sysfs names are lower-case
    [InlineData("../../../../etc", false)]
    [InlineData("", false)]
    public void DS20_IsPhysicalFunction_LooksUpTheAddressAsTyped(string address, bool expected) =>
        Probe.IsPhysicalFunction(address).ShouldBe(expected);

    [Fact]
    public void DS20_SriovTotalVfsZero_IsNotAPf()
    {
        using var host = new FakeSysfsBuilder()
            .WithDevice("0000:01:00.0", "8086", "1521", PciClasses.Ethernet)
            .WithFile("0000:01:00.0", "sriov_totalvfs", "0\n")
            .Build();

        new SysfsHostProbe(host.Root).IsPhysicalFunction("0000:01:00.0").ShouldBeFalse();
    }

    [Theory]
    [InlineData("eth0", "0000:0a:00.0")] // DS-25 a netdev resolves to its function
    [InlineData("eth0v0", "0000:0a:02.0")] // DS-25 a VF's netdev resolves to the VF
    [InlineData("lo", null)] // DS-25 no such interface: the spec matches nothing
    [InlineData("../eth0", null)]
    public void DS25_FindFunctionByNetdev_FollowsTheDeviceLink(string ifname, string? expected) =>
        Probe.FindFunctionByNetdev(ifname).ShouldBe(expected);

    [Fact]
    public void DS25_NetdevOfANonPciDevice_ResolvesToNothing()
    {
        using var host = new FakeSysfsBuilder().Build();
        var net = Path.Combine(host.Root, "sys", "devices", "virtual", "net", "lo");
        Directory.CreateDirectory(net);
        File.CreateSymbolicLink(Path.Combine(host.Root, "sys", "class", "net", "lo"), net);
        File.CreateSymbolicLink(Path.Combine(net, "device"), "../../../virtio0");

        new SysfsHostProbe(host.Root).FindFunctionByNetdev("lo").ShouldBeNull();
    }

    [Theory]
    [InlineData("0000:0a:00.0", "8086", "1572")] // DS-29 the PF's own ids
    [InlineData("0000:0c:00.0", "15b3", "101d")]
    public void DS29_GetIds_ReadsVendorAndDevice(string address, string vendorId, string productId) =>
        Probe.GetIds(address).ShouldBe((vendorId, productId));

    [Theory]
    [InlineData("0000:0a:00.0", "154c")] // DS-29 the VF device id
    [InlineData("0000:0c:00.0", "0abc")] // the kernel writes bare hex without leading zeros
    [InlineData("0000:0b:00.0", null)] // DS-29 not a PF: read failure (PciDeviceNotFoundById upstream)
    [InlineData("0000:99:00.0", null)]
    public void DS29_GetVfProductId_ReadsSriovVfDevice(string address, string? expected) =>
        Probe.GetVfProductId(address).ShouldBe(expected);

    [Fact]
    public void DS29_GetIds_OfAMissingDevice_IsNull() => Probe.GetIds("0000:99:00.0").ShouldBeNull();
}
