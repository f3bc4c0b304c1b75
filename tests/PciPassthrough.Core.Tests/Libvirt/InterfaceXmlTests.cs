using System.Text.Json.Nodes;
using System.Xml.Linq;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Libvirt;

public sealed class InterfaceXmlTests
{
    private const string Mac = "fa:16:3e:11:22:33";
    private const string VfSource = """<source><address type="pci" domain="0x0000" bus="0x81" slot="0x10" function="0x1" /></source>""";

    private static readonly Dictionary<string, string> _noQuota = [];

    internal static BoundPort Port(VnicType type, string? vlanJson = null, string address = "0000:81:10.1") => new()
    {
        VnicType = type,
        MacAddress = Mac,
        PciSlot = PciAddress.Parse(address),
        Vlan = vlanJson is null ? null : JsonNode.Parse(vlanJson),
        Netdev = "ens1f0v1",
    };

    private static string Render(BoundPort port, Dictionary<string, string>? extraSpecs = null) =>
        InterfaceXml.Render(port, extraSpecs ?? _noQuota).ToString(SaveOptions.DisableFormatting);

    [Theory]
    [InlineData("100", """<vlan><tag id="100" /></vlan>""")] // LV-6
    [InlineData("\"0\"", """<vlan><tag id="0" /></vlan>""")] // LV-6: the string "0" is truthy
    [InlineData("0", "")] // LV-6: the integer 0 is not
    [InlineData("\"\"", "")] // LV-6
    [InlineData(null, "")] // LV-6: none
    public void LV6_DirectPort_HostdevInterfaceWithTruthyVlan(string? vlan, string vlanXml) =>
        Render(Port(VnicType.Direct, vlan)).ShouldBe(
            $"""<interface type="hostdev" managed="yes"><mac address="{Mac}" />{VfSource}{vlanXml}</interface>""");

    [Fact]
    public void LV6_AcceleratorDirect_SameAsDirect() =>
        Render(Port(VnicType.AcceleratorDirect, "7")).ShouldBe(Render(Port(VnicType.Direct, "7")));

    [Theory]
    [InlineData("quota:vif_inbound_average=100", """<bandwidth><inbound average="100" /></bandwidth>""")] // LV-6
    [InlineData("quota:vif_inbound_average=100;quota:vif_inbound_peak=200;quota:vif_inbound_burst=300;quota:vif_outbound_average=50",
        """<bandwidth><inbound average="100" peak="200" burst="300" /><outbound average="50" /></bandwidth>""")] // LV-6
    [InlineData("quota:vif_outbound_average=50;quota:vif_inbound_peak=200", """<bandwidth><outbound average="50" /></bandwidth>""")] // LV-6
    [InlineData("quota:vif_inbound_peak=200", "")] // LV-6: no average, no element
    [InlineData("quota:vif_inbound_average=", "")] // LV-6: an empty average is not given
    [InlineData("hw:vif_inbound_average=100", "")] // LV-6: only the quota scope
    public void LV6_FlavorQuota_Bandwidth(string extraSpecs, string bandwidth)
    {
        var specs = extraSpecs.Split(';').Select(s => s.Split('=')).ToDictionary(s => s[0], s => s[1]);
        Render(Port(VnicType.Direct, "100"), specs).ShouldBe(
            $"""<interface type="hostdev" managed="yes"><mac address="{Mac}" />{VfSource}<vlan><tag id="100" /></vlan>{bandwidth}</interface>""");
    }

    [Fact]
    public void LV7_PortIsAlwaysManaged() =>
        InterfaceXml.Render(Port(VnicType.Direct), _noQuota).Attribute("managed")!.Value.ShouldBe("yes");

    [Theory]
    [InlineData(VnicType.RemoteManaged, false)] // LV-8
    [InlineData(VnicType.Direct, true)] // LV-8: plugged through an offload backend
    public void LV8_OffloadBackend_NoVlanNoBandwidth(VnicType type, bool offload)
    {
        var port = Port(type, "100") with { OffloadBackend = offload };
        Render(port, new() { ["quota:vif_inbound_average"] = "100" }).ShouldBe(
            $"""<interface type="hostdev" managed="yes"><mac address="{Mac}" />{VfSource}</interface>""");
    }

    [Theory]
    [InlineData(VnicType.DirectPhysical)] // LV-9
    [InlineData(VnicType.AcceleratorDirectPhysical)] // LV-9
    public void LV9_WholePf_ManagedHostdev(VnicType type) =>
        Render(Port(type, "100", "0000:81:00.0")).ShouldBe(
            """<hostdev mode="subsystem" type="pci" managed="yes"><source><address domain="0x0000" bus="0x81" slot="0x00" function="0x0" /></source></hostdev>""");

    [Fact]
    public void LV9_Macvtap_DirectInterfaceOnTheVfNetdev() =>
        Render(Port(VnicType.Macvtap, "100"), new() { ["quota:vif_outbound_average"] = "10" }).ShouldBe(
            $"""<interface type="direct"><mac address="{Mac}" /><model type="virtio" /><driver name="vhost" /><source dev="ens1f0v1" mode="passthrough" /><vlan><tag id="100" /></vlan><bandwidth><outbound average="10" /></bandwidth></interface>""");

    [Fact]
    public void LV9_MacvtapWithoutNetdev_Rejected() =>
        Should.Throw<ArgumentException>(() => Render(Port(VnicType.Macvtap) with { Netdev = null }))
            .Message.ShouldStartWith("macvtap port fa:16:3e:11:22:33 on 0000:81:10.1 needs the VF's netdev name.");

    [Theory]
    [InlineData(VnicType.Normal)]
    [InlineData(VnicType.Vdpa)]
    [InlineData(VnicType.VirtioForwarder)]
    public void Render_PortWithoutPassthroughElement_Rejected(VnicType type) =>
        Should.Throw<ArgumentException>(() => Render(Port(type))).Message.ShouldContain($"vnic_type '{type.ToNeutronName()}'");
}
