using System.Xml.Linq;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Pci;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;

namespace PciPassthrough.Core.Tests.Libvirt;

public sealed class HostdevXmlTests
{
    private static XElement AliasDevice(string address, string spec)
    {
        var tracker = new PciHostBuilder().WithSpec(spec).With(Plain(address)).Build();
        return HostdevXml.Render(tracker.Find(address)!);
    }

    [Theory]
    [InlineData("0000:81:00.1", """{"vendor_id": "8086"}""", "yes")] // LV-4: no managed tag
    [InlineData("0000:81:00.1", """{"vendor_id": "8086", "managed": "true"}""", "yes")] // LV-4
    [InlineData("0000:25:00.4", """{"vendor_id": "8086", "managed": "no"}""", "no")] // LV-4: stored as "false"
    public void LV4_AliasDevice_ManagedFromTheSpec(string address, string spec, string managed)
    {
        var pci = PciAddress.Parse(address);
        AliasDevice(address, spec).ToString(SaveOptions.DisableFormatting).ShouldBe(
            $"""<hostdev mode="subsystem" type="pci" managed="{managed}"><source><address domain="0x0000" bus="0x{pci.Bus:x2}" slot="0x00" function="0x{pci.Function:x1}" /></source></hostdev>""");
    }

    [Fact]
    public void LV3_AddressFieldsKeepTheirWidthLowerCase() =>
        HostdevXml.Render(PciAddress.Parse("00AB:0C:1F.7"), managed: true).Element("source")!.Element("address")!.Attributes()
            .Select(a => $"{a.Name}={a.Value}").ShouldBe(["domain=0x00ab", "bus=0x0c", "slot=0x1f", "function=0x7"]);

    [Theory]
    [InlineData("0x0000", "0x81", "0x00", "0x1", "0000:81:00.1")] // LV-5: as libvirt returns it
    [InlineData("0000", "81", "0", "1", "0000:81:00.1")] // LV-5: without prefix, other widths
    [InlineData("0x0000", "0x81", "0x20", "0x1", null)] // LV-5: slot out of range
    [InlineData("0x0000", "0x81", "zz", "0x1", null)] // LV-5: not hex
    public void LV5_ReadBack_ComparesNumerically(string domain, string bus, string slot, string function, string? expected)
    {
        var readBack = new XElement("hostdev", new XElement("source", new XElement("address",
            new XAttribute("domain", domain), new XAttribute("bus", bus), new XAttribute("slot", slot),
            new XAttribute("function", function))));
        HostdevXml.ReadSourceAddress(readBack).ShouldBe(expected is null ? null : PciAddress.Parse(expected));
    }

    [Fact]
    public void LV5_RenderedElement_ReadsBackToItsAddress()
    {
        var address = PciAddress.Parse("0000:81:10.3");
        HostdevXml.ReadSourceAddress(HostdevXml.Render(address, managed: false)).ShouldBe(address);
    }
}
