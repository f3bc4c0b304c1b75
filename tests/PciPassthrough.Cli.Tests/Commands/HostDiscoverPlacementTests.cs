using System.Text.Json;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary><c>host discover --config</c> with <c>[pci] report_in_placement = true</c> on the dual-socket SR-IOV host.</summary>
public sealed class HostDiscoverPlacementTests : IDisposable
{
    private readonly FakeSysfs _host = FakeSysfsHosts.DualSocketSriov().WithHostname("compute1").Build();

    public void Dispose() => _host.Dispose();

    [Fact]
    public void PM6_VfsAreCountedOnTheirPfsProviderNamedWithTheUpperCasedAddress()
    {
        var (exitCode, output) = Discover("""device_spec = {"vendor_id": "15b3", "product_id": "101e"}""");

        exitCode.ShouldBe(0);
        output.ShouldContain("""
            Placement (report_in_placement = true), as the first report of compute1 would write it:
            PROVIDER               RESOURCE CLASS        TOTAL  RESERVED  TRAITS                                 DEVICES
            compute1_0000:AF:00.0  CUSTOM_PCI_15B3_101E  2      -         COMPUTE_MANAGED_PCI_DEVICE,OWNER_NOVA  0000:af:02.0,0000:af:02.1
            """);
    }

    [Fact]
    public void PM9_PM11_ConfiguredClassAndTraitsAreNormalised()
    {
        var (_, output) = Discover("""device_spec = {"address": "0000:18:00.1", "product_id": "154c", "resource_class": "vf-x710", "traits": "fast,HW_NIC_SRIOV"}""",
            "json");

        using var json = JsonDocument.Parse(output);
        var provider = json.RootElement.GetProperty("placement").GetProperty("providers").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "compute1_0000:18:00.1");
        provider.GetProperty("resource_class").GetString().ShouldBe("CUSTOM_VF_X710");
        provider.GetProperty("traits").EnumerateArray().Select(t => t.GetString()).ShouldBe(
            ["COMPUTE_MANAGED_PCI_DEVICE", "CUSTOM_FAST", "HW_NIC_SRIOV", "OWNER_NOVA"]);
    }

    [Fact]
    public void PM5_PhysnetTaggedDevicesStayOutOfPlacement()
    {
        var (_, output) = Discover("""
            device_spec = {"vendor_id": "8086", "product_id": "154c", "physical_network": "physnet0"}
            device_spec = {"vendor_id": "15b3", "product_id": "101e", "physical_network": null}
            """, "json");

        using var json = JsonDocument.Parse(output);
        var devices = json.RootElement.GetProperty("devices").EnumerateArray().ToList();
        devices.Where(d => d.GetProperty("product_id").GetString() == "154c")
            .ShouldAllBe(d => d.GetProperty("provider").ValueKind == JsonValueKind.Null);
        devices.Where(d => d.GetProperty("product_id").GetString() == "101e")
            .ShouldAllBe(d => d.GetProperty("provider").GetString() == "compute1_0000:AF:00.0");
    }

    [Fact]
    public void PM5_TreeOutputSaysWhyPhysnetDevicesAreNotReported() =>
        Discover("""device_spec = {"vendor_id": "8086", "product_id": "154c", "physical_network": "physnet0"}""").Output
            .ShouldContain("8 selected functions are not reported: a physical_network tag keeps Neutron SR-IOV devices "
                + "out of Placement (06 PM-5).");

    [Fact]
    public void PM13_PfAndItsVfsBothConfigured_RefusesToStart()
    {
        var (exitCode, output) = Discover("""device_spec = {"address": "0000:af:00.0"}""");

        exitCode.ShouldBe(2);
        output.ShouldContain("[pci] report_in_placement: PlacementPciDependentDeviceException: ");
        output.ShouldContain("(the compute would refuse to start)");
    }

    [Fact]
    public void PM2_DevnameWithReporting_RefusesToStart()
    {
        var (exitCode, output) = Discover("""device_spec = {"devname": "ens1f0"}""", "json");

        exitCode.ShouldBe(2);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("config_errors")[0].GetProperty("kind").GetString().ShouldBe("PlacementPciException");
    }

    private (int ExitCode, string Output) Discover(string deviceSpecs, string format = "tree")
    {
        var conf = Path.Combine(_host.Root, "nova.conf");
        File.WriteAllText(conf, $"[pci]\nreport_in_placement = true\n{deviceSpecs}\n");
        var (exitCode, output, _) = HostCommandRunner.Run("host", "discover", "--root", _host.Root, "--config", conf, "--format", format);
        return (exitCode, output);
    }
}
