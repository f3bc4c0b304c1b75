using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Simulation;
using static PciPassthrough.Core.Tests.Libvirt.InterfaceXmlTests;

namespace PciPassthrough.Core.Tests.Libvirt;

public sealed class VfTrustTests
{
    private static readonly Dictionary<string, string> _noQuota = [];

    private static BoundPort Trusted(VnicType type, string? trusted) =>
        Port(type) with { Trusted = trusted is null ? null : JsonNode.Parse(trusted) };

    [Theory]
    [InlineData(VnicType.Direct)] // LV-10
    [InlineData(VnicType.Macvtap)] // LV-10
    [InlineData(VnicType.DirectPhysical)] // LV-10
    [InlineData(VnicType.AcceleratorDirect)] // LV-10
    public void LV10_TrustedPort_TheXmlCarriesNoTrustSetting(VnicType type)
    {
        var xml = GuestPciXml.Render("kvm", [], [Trusted(type, "true")], _noQuota, null);

        var text = new XElement("devices", xml.Devices).ToString();
        text.ShouldNotContain("trust", Case.Insensitive);
        text.ShouldBe(new XElement("devices", GuestPciXml.Render("kvm", [], [Port(type)], _noQuota, null).Devices).ToString());
    }

    [Theory]
    [InlineData(VnicType.Direct, "true", true)] // LV-10
    [InlineData(VnicType.Direct, "\"yes\"", true)] // LV-10: read leniently
    [InlineData(VnicType.Direct, "\"True\"", true)] // LV-10
    [InlineData(VnicType.Direct, "false", false)] // LV-10
    [InlineData(VnicType.Direct, "\"maybe\"", false)] // LV-10
    [InlineData(VnicType.Direct, null, false)] // LV-10
    [InlineData(VnicType.Macvtap, "true", false)] // LV-10: only direct ports
    [InlineData(VnicType.DirectPhysical, "true", false)] // LV-10
    [InlineData(VnicType.RemoteManaged, "true", false)] // LV-10
    public void LV10_Plug_OnlyDirectPortsTurnTheTrustOn(VnicType type, string? trusted, bool on) =>
        VfTrust.TurnsOnAtPlug(Trusted(type, trusted)).ShouldBe(on);

    [Fact]
    public void LV10_Fleet_ListsTheVfsOfTrustedDirectPortsOfTheHostsServers()
    {
        var config = new ScenarioConfig
        {
            DeviceSpec = ["""{"vendor_id": "8086", "product_id": "154c", "physical_network": "physnet1", "trusted": "true"}"""],
        };
        var fleet = new Fleet(config);
        fleet.UpsertHost(ScenarioReader.ReadHost(JsonSerializer.SerializeToElement(new
        {
            name = "h1",
            numa_cells = new[] { new { id = 0, cpus = new[] { 0, 1, 2, 3 }, memory_mb = 16384 } },
            pci_devices = Enumerable.Range(1, 3).Select(i => new
            {
                address = $"0000:81:10.{i}",
                vendor_id = "8086",
                product_id = "154c",
                dev_type = "type-VF",
                parent_addr = "0000:81:00.0",
                numa_node = 0,
            }),
        }), config)).Report.Ok.ShouldBeTrue();
        var boot = ScenarioReader.ReadBoot(JsonSerializer.SerializeToElement(new
        {
            name = "vm",
            flavor = new { vcpus = 1, memory_mb = 512 },
            ports = new object[]
            {
                new { name = "p-trusted", vnic_type = "direct", physical_network = "physnet1", trusted = true },
                new { name = "p-plain", vnic_type = "direct", physical_network = "physnet1" },
                new { name = "p-macvtap", vnic_type = "macvtap", physical_network = "physnet1", trusted = true },
            },
        }), 0);

        fleet.Boot(boot).ChosenHost.ShouldBe("h1");
        var picked = fleet.Devices("vm").Single(d => d.Port == "p-trusted").Address;

        fleet.VfTrust("h1").ShouldBe([new VfTrustSetting("vm", "p-trusted", picked)]);
        fleet.VfTrust("h2").ShouldBeEmpty();
        fleet.Delete("vm");
        fleet.VfTrust("h1").ShouldBeEmpty();
    }
}
