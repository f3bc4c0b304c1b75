using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Requests;
using PciPassthrough.Testing.Libvirt;
using static PciPassthrough.Core.Tests.Libvirt.GuestPciXmlTests;
using static PciPassthrough.Core.Tests.Libvirt.InterfaceXmlTests;

namespace PciPassthrough.Core.Tests.Libvirt;

/// <summary>Issue 7 item 6: every kind of element, inside a minimal domain, passes libvirt's own schema.</summary>
public sealed class LibvirtSchemaTests
{
    private static readonly Dictionary<string, string> _quota = new()
    {
        ["quota:vif_inbound_average"] = "100",
        ["quota:vif_inbound_peak"] = "200",
        ["quota:vif_inbound_burst"] = "300",
        ["quota:vif_outbound_average"] = "50",
    };

    private static void ShouldValidate(GuestPciXml xml, string arch = "x86_64", string machine = "q35")
    {
        var (exitCode, output) = LibvirtDomain.Validate(LibvirtDomain.Wrap(xml, arch, machine));
        exitCode.ShouldBe(0, output);
        output.ShouldContain("validates");
    }

    [Fact]
    public void LV4_AliasDevicesManagedAndUnmanaged_Validate() =>
        ShouldValidate(GuestPciXml.Render("kvm", AliasDevices(), [], _quota, null));

    [Theory]
    [InlineData(VnicType.Direct, false)] // LV-6, with VLAN and bandwidth
    [InlineData(VnicType.AcceleratorDirect, false)] // LV-6
    [InlineData(VnicType.Direct, true)] // LV-8: offload backend
    [InlineData(VnicType.RemoteManaged, false)] // LV-8
    [InlineData(VnicType.DirectPhysical, false)] // LV-9
    [InlineData(VnicType.AcceleratorDirectPhysical, false)] // LV-9
    [InlineData(VnicType.Macvtap, false)] // LV-9
    public void LV6_EveryVnicType_Validates(VnicType type, bool offload) =>
        ShouldValidate(GuestPciXml.Render("kvm", [], [Port(type, "100") with { OffloadBackend = offload }], _quota, null));

    [Theory]
    [InlineData(ViommuModel.Intel, true, "x86_64", "q35")] // LV-17
    [InlineData(ViommuModel.Virtio, true, "x86_64", "pc-q35-7.1")] // LV-17
    [InlineData(ViommuModel.Virtio, false, "aarch64", "virt")] // LV-17
    [InlineData(ViommuModel.Smmuv3, false, "aarch64", "virt-6.2")] // LV-17
    public void LV17_EveryViommuModel_Validates(ViommuModel model, bool eim, string arch, string machine) =>
        ShouldValidate(GuestPciXml.Render("kvm", AliasDevices(), [Port(VnicType.Direct)], _quota, new GuestViommu(model, eim)),
            arch, machine);
}
