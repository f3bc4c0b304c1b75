using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Libvirt;

public sealed class ViommuResolverTests
{
    /// <summary>07 §4 host: x86_64, kvm, libvirt 8.3.0 unless stated. Image properties as "key=value;…".</summary>
    private static string Resolve(string? flavor, string image, string libvirt = "8.3.0", string virtType = "kvm")
    {
        var properties = Properties(image);
        var arch = ViommuResolver.GuestArchitecture(
            properties.GetValueOrDefault("hw_emulation_architecture"), properties.GetValueOrDefault("hw_architecture"), "x86_64");
        var machine = ViommuResolver.MachineType(properties.GetValueOrDefault("hw_machine_type"), null, arch);
        try
        {
            var model = ViommuModels.Resolve(flavor, properties.GetValueOrDefault("hw_viommu_model"));
            var viommu = ViommuResolver.Resolve(model, virtType, arch, machine, Version.Parse(libvirt));
            return viommu is null ? "none" : $"{viommu.Model.ToNovaName()} eim {(viommu.ExtendedInterruptMode ? "on" : "off")}";
        }
        catch (PciException e)
        {
            return e.Error.Kind;
        }
    }

    private static Dictionary<string, string> Properties(string image) =>
        image.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    [Theory]
    [InlineData(null, "", "8.3.0", "none")] // LV-11
    [InlineData("intel", "hw_machine_type=q35", "8.3.0", "intel eim on")] // LV-17
    [InlineData("auto", "hw_machine_type=q35", "8.3.0", "virtio eim on")] // LV-16
    [InlineData("auto", "hw_machine_type=q35", "8.0.0", "intel eim on")] // LV-16
    [InlineData("auto", "hw_viommu_model=auto;hw_architecture=aarch64;hw_machine_type=virt", "8.0.0", "smmuv3 eim off")] // LV-16
    [InlineData("auto", "hw_machine_type=pc-i440fx-2.11", "8.3.0", PciErrorKinds.InvalidVIOMMUMachineType)] // LV-15
    [InlineData("auto", "", "8.3.0", PciErrorKinds.InvalidVIOMMUMachineType)] // LV-14: default pc
    [InlineData("auto", "hw_architecture=ppc64le;hw_machine_type=pc-i440fx-2.11", "8.3.0", PciErrorKinds.InvalidVIOMMUArchitecture)] // LV-15
    [InlineData("virtio", "hw_machine_type=q35", "8.0.0", "virtio eim on")] // LV-16: no version check
    [InlineData("intel", "hw_viommu_model=smmuv3;hw_machine_type=q35", "8.3.0", "intel eim on")] // LV-11
    [InlineData(null, "hw_viommu_model=virtio;hw_machine_type=pc-q35-7.1", "8.3.0", "virtio eim on")] // LV-11, LV-17
    [InlineData("smmuv3", "hw_architecture=aarch64;hw_machine_type=virt-6.2", "8.3.0", "smmuv3 eim off")] // LV-15
    [InlineData("auto", "hw_emulation_architecture=aarch64;hw_machine_type=q35", "8.3.0", PciErrorKinds.InvalidVIOMMUMachineType)] // LV-14
    public void LV15_Resolve_Table(string? flavor, string image, string libvirt, string expected) =>
        Resolve(flavor, image, libvirt).ShouldBe(expected);

    [Fact]
    public void LV13_OtherVirtType_NoViommu() => Resolve("intel", "hw_machine_type=q35", virtType: "lxc").ShouldBe("none");

    [Theory]
    [InlineData(null, "x86_64", "pc")] // LV-14
    [InlineData(null, "armv7l", "virt")] // LV-14: Nova's name for ARMv7
    [InlineData(null, "aarch64", "virt")] // LV-14
    [InlineData(null, "i686", "pc")] // LV-14
    [InlineData(null, "ppc64le", "pseries")] // LV-14
    [InlineData(null, "s390x", "s390-ccw-virtio")] // LV-14
    [InlineData(null, "mips", null)] // LV-14: no default
    [InlineData("q35", "x86_64", "q35")] // LV-14: the image wins
    public void LV14_MachineType_Defaults(string? image, string arch, string? expected) =>
        ViommuResolver.MachineType(image, null, arch).ShouldBe(expected);

    [Theory]
    [InlineData("x86_64", "q35")] // LV-14: the configured entry for the architecture
    [InlineData("aarch64", "virt")] // LV-14: no entry, the default
    public void LV14_MachineType_ConfiguredPerArchitecture(string arch, string expected) =>
        ViommuResolver.MachineType(null, new Dictionary<string, string> { ["x86_64"] = "q35" }, arch).ShouldBe(expected);

    [Theory]
    [InlineData("hw_emulation_architecture=aarch64;hw_architecture=x86_64", "aarch64")] // LV-14
    [InlineData("hw_architecture=ppc64le", "ppc64le")] // LV-14
    [InlineData("", "x86_64")] // LV-14: the host's
    public void LV14_GuestArchitecture(string image, string expected)
    {
        var properties = Properties(image);
        ViommuResolver.GuestArchitecture(properties.GetValueOrDefault("hw_emulation_architecture"),
            properties.GetValueOrDefault("hw_architecture"), "x86_64").ShouldBe(expected);
    }

    [Fact]
    public void LV15_MessageSaysWhatToSet() =>
        Should.Throw<PciException>(() => ViommuResolver.Resolve(ViommuModel.Intel, "kvm", "x86_64", "pc", new(9, 0))).Message
            .ShouldBe("a vIOMMU on a x86_64 guest needs a machine type containing 'q35', not 'pc'; set the image property " +
                "hw_machine_type=q35 or [libvirt] hw_machine_type = x86_64=q35.");
}
