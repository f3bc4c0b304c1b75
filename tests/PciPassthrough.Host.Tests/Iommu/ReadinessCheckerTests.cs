using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.Iommu;
using PciPassthrough.Host.NovaConf;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Host.Tests.Iommu;

public sealed class ReadinessCheckerTests
{
    [Fact]
    public void Check_PreparedSriovHost_PassesWithOneWarningForThePortWithoutVfs()
    {
        var report = CheckHost(FakeSysfsHosts.DualSocketSriov());

        report.Checks.Where(c => c.Status != CheckStatus.Pass).ShouldHaveSingleItem().ShouldBe(new ReadinessCheck(
            ReadinessChecker.SriovCheck, "0000:af:00.1", CheckStatus.Warn,
            "SR-IOV PF with no VF enabled (0 of 8): only the PF itself can be passed through.",
            "echo <count> > /sys/bus/pci/devices/0000:af:00.1/sriov_numvfs (at most 8), and make it persistent with a "
            + "udev rule or a systemd unit"));
        report.ExitCode.ShouldBe(1);
        report.Checks.ShouldContain(new ReadinessCheck(
            ReadinessChecker.SriovCheck, "0000:18:00.0", CheckStatus.Pass, "4 of 64 VFs enabled."));
        report.Checks.ShouldContain(new ReadinessCheck(ReadinessChecker.GroupCheck, null, CheckStatus.Pass,
            "14 devices each alone in its IOMMU group (bridges aside)."));
    }

    [Fact]
    public void Check_PreparedNvmeHost_PassesEverything()
    {
        var report = CheckHost(FakeSysfsHosts.Nvme());

        report.Checks.ShouldAllBe(c => c.Status == CheckStatus.Pass);
        report.ExitCode.ShouldBe(0);
        report.Checks.Select(c => c.Check).ShouldBe([
            ReadinessChecker.CommandLineCheck, ReadinessChecker.IommuCheck, ReadinessChecker.GroupsCheck,
            ReadinessChecker.VfioCheck, ReadinessChecker.GroupCheck, ReadinessChecker.DriverCheck]);
        report.Checks[^1].Detail.ShouldBe("2 devices ready: 1 on vfio-pci, 0 without a driver, "
            + "1 on a host driver that libvirt detaches when it assigns the device (managed).");
    }

    [Fact]
    public void Check_UnpreparedHost_FailsWithFixes()
    {
        var report = CheckHost(FakeSysfsHosts.Unprepared());

        report.ExitCode.ShouldBe(2);
        var byCheck = report.Checks.Where(c => c.Subject is null).ToDictionary(c => c.Check);
        byCheck[ReadinessChecker.CommandLineCheck].Status.ShouldBe(CheckStatus.Warn);
        byCheck[ReadinessChecker.IommuCheck].Status.ShouldBe(CheckStatus.Fail);
        byCheck[ReadinessChecker.IommuCheck].Fix.ShouldNotBeNull().ShouldContain("VT-d");
        byCheck[ReadinessChecker.GroupsCheck].Status.ShouldBe(CheckStatus.Fail);
        byCheck[ReadinessChecker.VfioCheck].Status.ShouldBe(CheckStatus.Fail);
        byCheck[ReadinessChecker.VfioCheck].Fix.ShouldNotBeNull().ShouldContain("modprobe vfio-pci");
        report.Checks.ShouldNotContain(c => c.Check == ReadinessChecker.GroupCheck);
    }

    [Theory]
    [InlineData("BOOT_IMAGE=/vmlinuz intel_iommu=on iommu=pt", CheckStatus.Pass, "IOMMU requested at boot: intel_iommu=on iommu=pt.")]
    [InlineData("amd_iommu=on", CheckStatus.Pass, "IOMMU requested at boot: amd_iommu=on.")]
    [InlineData("quiet iommu=pt", CheckStatus.Pass, "IOMMU requested at boot: iommu=pt.")]
    [InlineData("intel_iommu=off quiet", CheckStatus.Fail, "the kernel command line turns the IOMMU off (intel_iommu=off).")]
    [InlineData("quiet -- intel_iommu=on", CheckStatus.Warn,
        "no IOMMU flag on the kernel command line: fine only where the kernel turns it on by default "
        + "(AMD, or an Intel kernel built with CONFIG_INTEL_IOMMU_DEFAULT_ON).")]
    public void Check_KernelCommandLine_ReadsTheIommuFlags(string commandLine, CheckStatus status, string detail)
    {
        var report = CheckHost(FakeSysfsHosts.Nvme().WithKernelCommandLine(commandLine));

        var check = report.Checks.Single(c => c.Check == ReadinessChecker.CommandLineCheck);
        (check.Status, check.Detail).ShouldBe((status, detail));
    }

    [Fact]
    public void Check_GpuSharingItsGroupWithAudio_WarnsNamingTheCompanion() // audio is no candidate itself
    {
        var report = CheckHost(FakeSysfsHosts.Gpus());

        report.Checks.Where(c => c.Check == ReadinessChecker.GroupCheck && c.Status == CheckStatus.Warn)
            .Select(c => (c.Subject, c.Detail)).ShouldBe(
            [
                ("0000:65:00.0", "IOMMU group 65 also holds 0000:65:00.1 (10de:10f8, snd_hda_intel): they can only be "
                    + "assigned together, to one guest, with no host driver bound to any of them."),
            ]);
    }

    [Fact]
    public void Check_BridgeInTheGroup_DoesNotCount()
    {
        var report = CheckHost(new FakeSysfsBuilder().WithIommu().WithVfioPci()
            .WithDevice("0000:00:01.0", "8086", "1901", PciClasses.PciBridge, driver: "pcieport", iommuGroup: 2)
            .WithDevice("0000:01:00.0", "10de", "1db4", PciClasses.Display3D, iommuGroup: 2));

        report.Checks.ShouldAllBe(c => c.Status == CheckStatus.Pass);
    }

    [Fact]
    public void Check_CandidateOutsideEveryGroup_Fails()
    {
        using var host = FakeSysfsHosts.Nvme().Build();
        File.Delete(Path.Combine(host.Root, "sys", "kernel", "iommu_groups", "0", "devices", "0000:5e:00.0"));

        var report = Check(host);

        report.Checks.ShouldContain(c => c.Check == ReadinessChecker.GroupCheck && c.Subject == "0000:5e:00.0"
            && c.Status == CheckStatus.Fail);
    }

    [Fact]
    public void Check_ManagedNoOnAHostDriver_FailsWithTheBindCommand()
    {
        using var host = FakeSysfsHosts.Nvme().Build();
        var discovery = new SysfsDiscovery(host.Root).Discover();
        var candidates = discovery.Records.Select(r => new PassthroughCandidate(r, Managed: false)).ToList();

        var report = ReadinessChecker.Check(HostIommuReader.Read(host.Root), discovery, candidates);

        report.Checks.ShouldContain(new ReadinessCheck(ReadinessChecker.DriverCheck, "0000:5e:00.0", CheckStatus.Fail,
            "bound to nvme, but its device_spec says managed=no: libvirt will not detach it.",
            "bind it to vfio-pci: driverctl set-override 0000:5e:00.0 vfio-pci"));
        report.ExitCode.ShouldBe(2);
    }

    [Fact]
    public void Check_DiscoveryWarnings_BecomeWarnChecks()
    {
        var report = CheckHost(FakeSysfsHosts.OddAddresses());

        report.Checks.Where(c => c.Check == ReadinessChecker.DiscoveryCheck).Select(c => c.Subject)
            .ShouldBe(["10000:01:00.0", "10000:e0:06.0"], ignoreOrder: true);
        report.Checks.First(c => c.Check == ReadinessChecker.DiscoveryCheck).Fix.ShouldNotBeNull().ShouldContain("VMD");
    }

    [Fact]
    public void Guess_WithoutConfig_TakesVfsAndUsualClassesButNotBridges()
    {
        using var host = FakeSysfsHosts.OddAddresses()
            .WithDevice("0000:00:1f.3", "8086", "a348", PciClasses.Audio)
            .Build();

        PassthroughCandidate.Guess(new SysfsDiscovery(host.Root).Discover().Records).Select(c => c.Device.Address)
            .ShouldBe(["0001:0a:00.0", "ffff:ff:1f.7"]);
    }

    [Theory]
    [MemberData(nameof(NamedHosts))]
    public void Check_EveryNamedHost_GivesAFixForEveryWarnOrFail(string name)
    {
        var report = CheckHost(FakeSysfsHosts.All[name]());

        report.Checks.Where(c => c.Status != CheckStatus.Pass).ShouldAllBe(c => c.Fix != null);
    }

    [Fact]
    public void Check_RealSys_DoesNotFail()
    {
        var discovery = new SysfsDiscovery().Discover();

        var report = ReadinessChecker.Check(HostIommuReader.Read(), discovery, PassthroughCandidate.Guess(discovery.Records));

        report.Checks.Count.ShouldBeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public void Check_WithConfig_ChecksOnlySelectedDevicesAndReadsManaged()
    {
        using var host = FakeSysfsHosts.Nvme().Build();
        var inventory = HostInventory.Discover(host.Root, Conf("""device_spec = {"address": "0000:5e:00.0", "managed": "no"}"""));

        var report = ReadinessChecker.Check(HostIommuReader.Read(host.Root), inventory);

        report.Checks.Select(c => (c.Check, c.Subject, c.Status)).ShouldBe(
        [
            (ReadinessChecker.CommandLineCheck, null, CheckStatus.Pass),
            (ReadinessChecker.IommuCheck, null, CheckStatus.Pass),
            (ReadinessChecker.GroupsCheck, null, CheckStatus.Pass),
            (ReadinessChecker.VfioCheck, null, CheckStatus.Pass),
            (ReadinessChecker.DeviceSpecCheck, null, CheckStatus.Pass),
            (ReadinessChecker.GroupCheck, null, CheckStatus.Pass),
            (ReadinessChecker.DriverCheck, "0000:5e:00.0", CheckStatus.Fail),
        ]);
        report.Checks[4].Detail.ShouldBe("1 entry selects 1 device of this host.");
    }

    [Fact]
    public void Check_ConfigSelectingNothing_Warns()
    {
        using var host = FakeSysfsHosts.Nvme().Build();
        var inventory = HostInventory.Discover(host.Root, Conf("""device_spec = {"vendor_id": "10de"}"""));

        var check = ReadinessChecker.Check(HostIommuReader.Read(host.Root), inventory).Checks
            .Single(c => c.Check == ReadinessChecker.DeviceSpecCheck);

        check.Status.ShouldBe(CheckStatus.Warn);
        check.Fix.ShouldNotBeNull().ShouldContain("pcictl host discover --config");
    }

    [Fact]
    public void Check_ConfigTheComputeWouldRefuse_Fails()
    {
        using var host = FakeSysfsHosts.Nvme().Build();
        var inventory = HostInventory.Discover(host.Root, Conf("""device_spec = {"address": "0000:5e:00.0", "devname": "eth0"}"""));

        var report = ReadinessChecker.Check(HostIommuReader.Read(host.Root), inventory);

        var check = report.Checks.Single(c => c.Check == ReadinessChecker.DeviceSpecCheck);
        (check.Subject, check.Status).ShouldBe(("nova.conf:2", CheckStatus.Fail));
        check.Detail.ShouldStartWith("the compute would refuse to start: PciDeviceInvalidDeviceName: ");
        report.ExitCode.ShouldBe(2);
    }

    public static TheoryData<string> NamedHosts() => [.. FakeSysfsHosts.All.Keys];

    private static NovaConfOptions Conf(string pci) =>
        NovaConfOptions.Read(NovaConfParser.Parse($"[pci]\n{pci}\n", "nova.conf"));

    private static ReadinessReport CheckHost(FakeSysfsBuilder builder)
    {
        using var host = builder.Build();
        return Check(host);
    }

    private static ReadinessReport Check(FakeSysfs host)
    {
        var discovery = new SysfsDiscovery(host.Root).Discover();
        return ReadinessChecker.Check(HostIommuReader.Read(host.Root), discovery, PassthroughCandidate.Guess(discovery.Records));
    }
}
