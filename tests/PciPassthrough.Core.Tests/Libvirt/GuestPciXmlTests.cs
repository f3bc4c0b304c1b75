using System.Xml.Linq;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Requests;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Core.Tests.Libvirt.InterfaceXmlTests;
using static PciPassthrough.Testing.Devices.PciRecords;

namespace PciPassthrough.Core.Tests.Libvirt;

public sealed class GuestPciXmlTests
{
    private static readonly Dictionary<string, string> _noQuota = [];

    /// <summary>Alias devices: 0000:81:00.1 managed, 0000:25:00.4 from a spec saying <c>"managed": "no"</c>.</summary>
    internal static IReadOnlyList<TrackedDevice> AliasDevices()
    {
        var tracker = new PciHostBuilder()
            .WithSpec("""{"address": "0000:25:00.4", "managed": "no"}""").WithSpec("""{"vendor_id": "8086"}""")
            .With(Plain("0000:81:00.1"), Plain("0000:25:00.4")).Build();
        return [tracker.Find("0000:81:00.1")!, tracker.Find("0000:25:00.4")!];
    }

    [Fact]
    public void LV2_TwoAliasDevicesAndADirectPort_InterfaceThenHostdevsInAllocationOrder()
    {
        var xml = GuestPciXml.Render("kvm", AliasDevices(), [Port(VnicType.Direct)], _noQuota, null);
        xml.Devices.Select(d => (d.Name.LocalName, (string?)d.Attribute("managed"))).ShouldBe(
            [("interface", "yes"), ("hostdev", "yes"), ("hostdev", "no")]);
        xml.Devices.Skip(1).Select(HostdevXml.ReadSourceAddress).Select(a => a.ToString())
            .ShouldBe(["0000:81:00.1", "0000:25:00.4"]);
        xml.Features.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("lxc", 1, 0)] // LV-1: an alias device
    [InlineData("xen", 0, 1)] // LV-1: a port's device
    public void LV1_OtherVirtType_OwningPciDevices_Refused(string virtType, int aliasDevices, int ports)
    {
        var error = Should.Throw<PciException>(() => GuestPciXml.Render(
            virtType, [.. AliasDevices().Take(aliasDevices)], [.. Enumerable.Repeat(Port(VnicType.Direct), ports)], _noQuota, null)).Error;
        (error.Kind, error.Message).ShouldBe((PciErrorKinds.PciDeviceUnsupportedHypervisor,
            $"{virtType} hypervisor does not support PCI devices; set [libvirt] virt_type to kvm or qemu on hosts that pass PCI " +
            "devices through."));
    }

    [Fact]
    public void LV1_OtherVirtTypeWithoutPciDevices_NothingRendered() =>
        GuestPciXml.Render("lxc", [], [], _noQuota, null).Devices.ShouldBeEmpty();

    [Theory]
    [InlineData(ViommuModel.Intel, true, """<iommu model="intel"><driver intremap="on" caching_mode="on" aw_bits="48" eim="on" iotlb="on" /></iommu>""")] // LV-17
    [InlineData(ViommuModel.Smmuv3, false, """<iommu model="smmuv3"><driver intremap="on" caching_mode="on" aw_bits="48" eim="off" iotlb="on" /></iommu>""")] // LV-17
    [InlineData(ViommuModel.Virtio, true, """<iommu model="virtio"><driver intremap="on" caching_mode="on" aw_bits="48" eim="on" iotlb="on" /></iommu>""")] // LV-17
    public void LV17_Viommu_AppendedLastWithTheIoapicFeature(ViommuModel model, bool eim, string iommu)
    {
        var xml = GuestPciXml.Render("kvm", AliasDevices(), [], _noQuota, new GuestViommu(model, eim));
        xml.Devices[^1].ToString(SaveOptions.DisableFormatting).ShouldBe(iommu);
        xml.Features.Single().ToString(SaveOptions.DisableFormatting).ShouldBe("""<ioapic driver="qemu" />""");
    }
}
