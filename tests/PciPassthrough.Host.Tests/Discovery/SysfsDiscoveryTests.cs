using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Host.Tests.Discovery;

public sealed class SysfsDiscoveryTests
{
    [Fact]
    public void LC1_DualSocketSriov_ReportsPfsWithVfsUnderThem()
    {
        using var host = FakeSysfsHosts.DualSocketSriov().Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        result.Warnings.ShouldBeEmpty();
        var pf = Single(result, "0000:18:00.0");
        pf.ShouldBe(new PciDeviceRecord
        {
            Address = "0000:18:00.0",
            VendorId = "8086",
            ProductId = "1572",
            DeviceType = PciDeviceType.PhysicalFunction,
            NumaNode = 0,
            Netdev = "ens1f0",
            VfProductId = "154c",
            Driver = "i40e",
            IommuGroup = pf.IommuGroup,
            ClassCode = "0x020000",
        }, new RecordComparer());
        pf.IommuGroup.ShouldNotBeNull();

        var vf = Single(result, "0000:18:02.0");
        vf.DeviceType.ShouldBe(PciDeviceType.VirtualFunction);
        vf.ParentAddress.ShouldBe("0000:18:00.0");
        vf.ProductId.ShouldBe("154c");
        vf.Netdev.ShouldBe("ens1f0v0");
        vf.ParentIfname.ShouldBe("ens1f0");
        vf.Driver.ShouldBe("iavf");
        vf.VfProductId.ShouldBeNull();

        Single(result, "0000:af:02.0").NumaNode.ShouldBe(1);
        result.Records.Count(r => r.ParentAddress == "0000:af:00.0").ShouldBe(2);
        result.Records.Count.ShouldBe(4 + 4 + 4 + 2); // 4 PFs, 10 VFs
    }

    [Fact]
    public void LC1_RecordsComeInAddressOrder()
    {
        using var host = new FakeSysfsBuilder()
            .WithDevice("0000:af:00.0", "10de", "20b0", PciClasses.Display3D)
            .WithDevice("0000:0a:00.0", "10de", "20b0", PciClasses.Display3D)
            .WithDevice("0001:00:00.0", "10de", "20b0", PciClasses.Display3D)
            .Build();

        new SysfsDiscovery(host.Root).Discover().Records.Select(r => r.Address)
            .ShouldBe(["0000:0a:00.0", "0000:af:00.0", "0001:00:00.0"]);
    }

    [Fact]
    public void LC1_PfWithNoVfEnabled_IsStillTypePf()
    {
        using var host = FakeSysfsHosts.DualSocketSriov().Build();

        var function = new SysfsDiscovery(host.Root).Discover().Functions.Single(f => f.Record.Address == "0000:af:00.1");

        function.Record.DeviceType.ShouldBe(PciDeviceType.PhysicalFunction);
        function.TotalVfs.ShouldBe(8);
        function.EnabledVfs.ShouldBe(0);
    }

    [Fact]
    public void LC1_SriovTotalVfsZero_IsTypePci()
    {
        using var host = new FakeSysfsBuilder()
            .WithDevice("0000:01:00.0", "8086", "1521", PciClasses.Ethernet, driver: "igb")
            .WithFile("0000:01:00.0", "sriov_totalvfs", "0\n")
            .Build();

        Single(new SysfsDiscovery(host.Root).Discover(), "0000:01:00.0").DeviceType.ShouldBe(PciDeviceType.Pci);
    }

    [Fact]
    public void LC1_VfCarryingVdpaDevice_IsVdpa()
    {
        using var host = new FakeSysfsBuilder()
            .WithSriovNic("0000:06:00.0", vfs: 0, vendorId: "15b3", pfProductId: "101d", vfProductId: "101e")
            .WithFunction(new FakePciFunction
            {
                Address = "0000:06:00.2",
                VendorId = "15b3",
                ProductId = "101e",
                ParentAddress = "0000:06:00.0",
                HasVdpa = true,
            })
            .Build();

        var vdpa = Single(new SysfsDiscovery(host.Root).Discover(), "0000:06:00.2");

        vdpa.DeviceType.ShouldBe(PciDeviceType.Vdpa);
        vdpa.ParentAddress.ShouldBe("0000:06:00.0");
    }

    [Fact]
    public void LC1_Gpus_ReportDriverClassAndSharedIommuGroup()
    {
        using var host = FakeSysfsHosts.Gpus().Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        result.Warnings.ShouldBeEmpty();
        result.Records.ShouldAllBe(r => r.DeviceType == PciDeviceType.Pci);
        Single(result, "0000:3b:00.0").Driver.ShouldBe("vfio-pci");
        Single(result, "0000:d8:00.0").ClassCode.ShouldBe("0x030200");
        Single(result, "0000:65:00.0").IommuGroup.ShouldBe(65);
        Single(result, "0000:65:00.1").IommuGroup.ShouldBe(65);
    }

    [Fact]
    public void LC1_Nvme_ReportsEachDriveAsTypePci()
    {
        using var host = FakeSysfsHosts.Nvme().Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        result.Records.Select(r => (r.Address, r.VendorId, r.ProductId, r.Driver)).ShouldBe(
        [
            ("0000:5e:00.0", "144d", "a824", "nvme"),
            ("0000:5f:00.0", "144d", "a824", "vfio-pci"),
        ]);
    }

    [Fact]
    public void LC1_Dpu_VfsWithoutVpdInheritThePfSerial()
    {
        using var host = FakeSysfsHosts.Dpu().Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        Single(result, "0000:03:00.0").CardSerialNumber.ShouldBe(FakeSysfsHosts.DpuSerial);
        Single(result, "0000:03:00.1").CardSerialNumber.ShouldBe(FakeSysfsHosts.DpuSerial);
        result.Records.Where(r => r.ParentAddress is "0000:03:00.0" or "0000:03:00.1")
            .ShouldAllBe(r => r.CardSerialNumber == FakeSysfsHosts.DpuSerial);
    }

    [Fact]
    public void LC1_Dpu_CorruptVpdChecksum_GivesNoSerialAndAWarning()
    {
        using var host = FakeSysfsHosts.Dpu().Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        Single(result, "0000:82:00.0").CardSerialNumber.ShouldBeNull();
        Single(result, "0000:82:02.0").CardSerialNumber.ShouldBeNull();
        result.Warnings.Select(w => w.ToString()).ShouldBe(["0000:82:00.0: vpd is malformed (the VPD-R checksum (RV) "
            + "does not match the data); no card serial number is reported."]);
    }

    [Fact]
    public void LC1_VfWithItsOwnSerial_KeepsIt()
    {
        using var host = new FakeSysfsBuilder()
            .WithSriovNic("0000:03:00.0", vfs: 1, vpd: VpdImage.WithSerial("PF-SERIAL"), vfVpd: VpdImage.WithSerial("VF-SERIAL"))
            .Build();

        Single(new SysfsDiscovery(host.Root).Discover(), "0000:03:02.0").CardSerialNumber.ShouldBe("VF-SERIAL");
    }

    [Fact]
    public void LC1_NoNuma_MinusOneAndMissingFileBothMeanUnknown()
    {
        using var host = FakeSysfsHosts.NoNuma().Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        result.Warnings.ShouldBeEmpty();
        result.Records.ShouldNotBeEmpty();
        result.Records.ShouldAllBe(r => r.NumaNode == null);
    }

    [Fact]
    public void DS35_OddAddresses_OutOfRangeDomainIsDroppedWithAWarning()
    {
        using var host = FakeSysfsHosts.OddAddresses().Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        result.Records.Select(r => r.Address).ShouldBe(["0000:00:0e.0", "0001:0a:00.0", "ffff:ff:1f.7"]);
        result.Warnings.Select(w => w.Address).ShouldBe(["10000:01:00.0", "10000:e0:06.0"], ignoreOrder: true);
        result.Warnings[0].Message.ShouldBe("skipped: not a PCI address within the supported ranges "
            + "(dddd:bb:ss.f with domain <= ffff, bus <= ff, slot <= 1f, function <= 7).");
    }

    [Fact]
    public void Discover_UnreadableFile_WarnsForThatDeviceAndKeepsTheRest()
    {
        using var host = FakeSysfsHosts.Nvme().WithUnreadableFile("0000:5e:00.0", "numa_node").Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        Single(result, "0000:5e:00.0").NumaNode.ShouldBeNull();
        Single(result, "0000:5f:00.0").NumaNode.ShouldBe(0);
        var warning = result.Warnings.ShouldHaveSingleItem();
        warning.Address.ShouldBe("0000:5e:00.0");
        warning.Message.ShouldStartWith("cannot read numa_node: ");
    }

    [Fact]
    public void Discover_UnreadableVendor_SkipsTheDeviceWithTwoWarnings()
    {
        using var host = FakeSysfsHosts.Nvme().WithUnreadableFile("0000:5e:00.0", "vendor").Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        result.Records.ShouldHaveSingleItem().Address.ShouldBe("0000:5f:00.0");
        result.Warnings.Select(w => w.ToString()).ShouldSatisfyAllConditions(
            w => w.Count().ShouldBe(2),
            w => w.First().ShouldStartWith("0000:5e:00.0: cannot read vendor: "),
            w => w.Last().ShouldBe("0000:5e:00.0: skipped: without vendor and device ids it cannot be matched by any device_spec."));
    }

    [Theory]
    [InlineData("numa_node", "seven", "numa_node holds 'seven', not a NUMA node; the device is reported without one.")]
    [InlineData("device", "0x1ffff", "device holds '0x1ffff', not a 16-bit hex id; ignored.")]
    [InlineData("class", "network", "class holds 'network', not a PCI class code; ignored.")]
    [InlineData("sriov_totalvfs", "many", "sriov_totalvfs holds 'many', not a count; ignored.")]
    public void Discover_GarbageInAFile_WarnsNamingFileAndValue(string file, string content, string expected)
    {
        using var host = new FakeSysfsBuilder()
            .WithDevice("0000:01:00.0", "8086", "1521", PciClasses.Ethernet)
            .WithFile("0000:01:00.0", file, content)
            .Build();

        new SysfsDiscovery(host.Root).Discover().Warnings.Select(w => w.ToString()).ShouldContain($"0000:01:00.0: {expected}");
    }

    [Fact]
    public void Discover_MissingTree_WarnsAndReturnsNothing()
    {
        var root = Path.Combine(Path.GetTempPath(), "no-such-root-" + Guid.NewGuid().ToString("N"));

        var result = new SysfsDiscovery(root).Discover();

        result.Records.ShouldBeEmpty();
        result.Warnings.ShouldHaveSingleItem().Message.ShouldContain("does not exist");
    }

    [Fact]
    public void Discover_HostWithoutIommu_ReportsNoGroups()
    {
        using var host = FakeSysfsHosts.Unprepared().Build();

        new SysfsDiscovery(host.Root).Discover().Records.ShouldAllBe(r => r.IommuGroup == null);
    }

    [Theory]
    [MemberData(nameof(NamedHosts))]
    public void Discover_EveryNamedHost_ReportsEveryInRangeFunction(string name)
    {
        using var host = FakeSysfsHosts.All[name]().Build();

        var result = new SysfsDiscovery(host.Root).Discover();

        result.Records.Select(r => r.Address).ShouldBe(
            host.Functions.Select(f => f.Address).Where(a => PciAddress.TryParse(a, out _)).Order(StringComparer.Ordinal));
    }

    /// <summary>This machine's own <c>/sys</c>: whatever it holds, discovery must answer without throwing.</summary>
    [Fact]
    public void Discover_RealSys_DoesNotFail()
    {
        var result = new SysfsDiscovery().Discover();

        foreach (var record in result.Records)
        {
            PciAddress.TryParse(record.Address, out _).ShouldBeTrue();
            record.VendorId.Length.ShouldBe(4);
        }
    }

    public static TheoryData<string> NamedHosts() => [.. FakeSysfsHosts.All.Keys];

    private static PciDeviceRecord Single(DiscoveryResult result, string address) =>
        result.Records.Single(r => r.Address == address);

    /// <summary>Records hold a list, which record equality compares by reference.</summary>
    private sealed class RecordComparer : IEqualityComparer<PciDeviceRecord>
    {
        public bool Equals(PciDeviceRecord? x, PciDeviceRecord? y) =>
            x is not null && y is not null && x.NetworkCapabilities.SequenceEqual(y.NetworkCapabilities)
            && x with { NetworkCapabilities = Array.Empty<string>() } == y with { NetworkCapabilities = Array.Empty<string>() };

        public int GetHashCode(PciDeviceRecord obj) => obj.Address.GetHashCode(StringComparison.Ordinal);
    }
}
