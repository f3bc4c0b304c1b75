using PciPassthrough.Host.Iommu;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Host.Tests.Iommu;

public sealed class HostIommuReaderTests
{
    [Fact]
    public void Read_PreparedHost_FindsUnitsGroupsAndVfio()
    {
        using var host = FakeSysfsHosts.Gpus().Build();

        var state = HostIommuReader.Read(host.Root);

        state.KernelCommandLine.ShouldNotBeNull().ShouldContain("intel_iommu=on");
        state.IommuUnits.ShouldBe(["dmar0", "dmar1"]);
        state.Groups[65].ShouldBe(["0000:65:00.0", "0000:65:00.1"]);
        state.Groups.Values.Sum(g => g.Count).ShouldBe(4);
        state.Vfio.ShouldBe(VfioAvailability.Loaded);
    }

    [Fact]
    public void Read_UnpreparedHost_FindsNothing()
    {
        using var host = FakeSysfsHosts.Unprepared().Build();

        var state = HostIommuReader.Read(host.Root);

        state.IommuUnits.ShouldBeEmpty();
        state.Groups.ShouldBeEmpty();
        state.Vfio.ShouldBe(VfioAvailability.Missing);
    }

    [Fact]
    public void Read_VfioModuleFileButNotLoaded_IsInstalled()
    {
        using var host = FakeSysfsHosts.Unprepared().Build();
        var modules = Path.Combine(host.Root, "lib", "modules", "6.8.0-45-generic", "kernel", "drivers", "vfio", "pci");
        Directory.CreateDirectory(modules);
        File.WriteAllText(Path.Combine(modules, "vfio-pci.ko.zst"), "");

        HostIommuReader.Read(host.Root).Vfio.ShouldBe(VfioAvailability.Installed);
    }

    [Fact]
    public void Read_EmptyRoot_HasNoCommandLineAndDoesNotThrow()
    {
        var root = Path.Combine(Path.GetTempPath(), "empty-root-" + Guid.NewGuid().ToString("N"));

        var state = HostIommuReader.Read(root);

        state.KernelCommandLine.ShouldBeNull();
        state.Groups.ShouldBeEmpty();
    }

    [Fact]
    public void Read_RealSys_DoesNotFail() => HostIommuReader.Read().IommuUnits.ShouldNotBeNull();
}
