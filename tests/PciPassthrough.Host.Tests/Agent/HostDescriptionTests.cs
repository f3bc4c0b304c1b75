using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Host.Agent;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;
using PciPassthrough.Host.Topology;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Host.Tests.Agent;

public sealed class HostDescriptionTests
{
    /// <summary>The description of the host under <paramref name="root"/>, read as the agent reads it.</summary>
    internal static JsonObject Read(string root, string name, NovaConfOptions conf) =>
        HostDescription.Build(name, new NumaTopologyReader(root).Read(), new SysfsDiscovery(root).Discover().Records, conf);

    private static NovaConfOptions Conf(string text) => NovaConfOptions.Read(NovaConfParser.Parse(text, "nova.conf"));

    /// <summary>What the controller's engine will make of the description: the scenario reader's host.</summary>
    private static ScenarioHost AsScenarioHost(JsonObject host)
    {
        var scenario = new JsonObject { ["hosts"] = new JsonArray(host.DeepClone()) };
        return ScenarioReader.Read(JsonDocument.Parse(scenario.ToJsonString()).RootElement).Hosts.ShouldHaveSingleItem();
    }

    [Fact]
    public void LV18_Hypervisor_IsSentForTheControllersViommuTraits()
    {
        using var sysfs = FakeSysfsHosts.DualSocketSriov().Build();
        var libvirt = new HypervisorCapabilities(new HashSet<string>(["x86_64", "aarch64"]), new Version(8, 0, 0));

        var json = HostDescription.Build("cmp-1", [], [], Conf(""), libvirt);
        json["numa_cells"] = Read(sysfs.Root, "cmp-1", Conf(""))["numa_cells"]!.DeepClone();

        json["hypervisor"]!.ToJsonString().ShouldBe("""{"guest_architectures":["aarch64","x86_64"],"libvirt_version":"8.0.0"}""");
        AsScenarioHost(json).Hypervisor!.ReportedViommuTraits()
            .ShouldBe(["COMPUTE_VIOMMU_MODEL_AUTO", "COMPUTE_VIOMMU_MODEL_INTEL", "COMPUTE_VIOMMU_MODEL_SMMUV3"]);
        HostDescription.Build("cmp-1", [], [], Conf("")).ContainsKey("hypervisor").ShouldBeFalse();
    }

    [Fact]
    public void Read_SriovHost_IsAScenarioHostWithCellsDevicesAndSpecs()
    {
        using var sysfs = FakeSysfsHosts.DualSocketSriov().Build();
        var conf = Conf("""
            [DEFAULT]
            cpu_allocation_ratio = 4.0
            reserved_host_memory_mb = 2048
            [pci]
            device_spec = {"vendor_id": "8086", "product_id": "154c", "physical_network": "physnet1"}
            """);

        var json = Read(sysfs.Root, "cmp-1", conf);
        var host = AsScenarioHost(json);

        host.Name.ShouldBe("cmp-1");
        host.DeviceSpec.ShouldBe(["""{"vendor_id": "8086", "product_id": "154c", "physical_network": "physnet1"}"""]);
        (host.CpuAllocationRatio, host.RamAllocationRatio, host.ReservedHostMemoryMb).ShouldBe((4.0, 1.5, 2048L));
        json.ContainsKey("ram_allocation_ratio").ShouldBeFalse();
        host.NumaCells.Select(c => (c.Id, c.Socket, c.Cpus.Count, c.MemoryMb)).ShouldBe([(0, 0, 16, 65536L), (1, 1, 16, 65536L)]);
        host.PciDevices.Count.ShouldBe(sysfs.Functions.Count);
        var vf = host.PciDevices.Single(d => d.Address == "0000:18:02.0");
        (vf.DeviceType.ToString(), vf.ParentAddress, vf.NumaNode, vf.ParentIfname).ShouldBe(("VirtualFunction", "0000:18:00.0", 0, "ens1f0"));
        host.PciDevices.Single(d => d.Address == "0000:18:00.0").VfProductId.ShouldBe("154c");
    }

    [Fact]
    public void Read_EveryDeviceCarriesTheIommuGroupItsSysfsLinkNames()
    {
        using var sysfs = FakeSysfsHosts.DualSocketSriov().Build();

        var devices = Read(sysfs.Root, "cmp-1", Conf(""))["pci_devices"]!.AsArray();

        devices.Count.ShouldBe(sysfs.Functions.Count);
        foreach (var device in devices)
        {
            var link = new FileInfo(Path.Combine(sysfs.Root, "sys", "bus", "pci", "devices", (string)device!["address"]!, "iommu_group"));
            ((int?)device["iommu_group"]).ShouldBe(int.Parse(Path.GetFileName(link.LinkTarget!), CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Read_HostWithoutIommuGroups_SendsNone()
    {
        using var sysfs = new FakeSysfsBuilder().WithSriovNic("0000:81:00.0", numaNode: 0, vfs: 2).Build();

        Read(sysfs.Root, "bare", Conf(""))["pci_devices"]!.AsArray()
            .ShouldAllBe(d => !d!.AsObject().ContainsKey("iommu_group"));
    }

    [Fact]
    public void Read_DpuHost_KeepsTheVpdSerial()
    {
        using var sysfs = FakeSysfsHosts.Dpu().Build();

        var host = AsScenarioHost(Read(sysfs.Root, "dpu", Conf("")));

        host.PciDevices.Single(d => d.Address == "0000:03:00.0").CardSerialNumber.ShouldBe(FakeSysfsHosts.DpuSerial);
        host.DeviceSpec.ShouldBeEmpty();
    }

    [Fact]
    public void Read_HostWithoutNuma_IsOneCellAndDevicesWithoutNode()
    {
        using var sysfs = FakeSysfsHosts.NoNuma().Build();

        var host = AsScenarioHost(Read(sysfs.Root, "flat", Conf("")));

        host.NumaCells.ShouldHaveSingleItem().MemoryMb.ShouldBe(8192);
        host.PciDevices.ShouldAllBe(d => d.NumaNode == null);
    }

    [Fact]
    public void Read_ThisMachine_IsAValidScenarioHost()
    {
        var host = AsScenarioHost(Read("/", "self", Conf("")));

        host.NumaCells.ShouldNotBeEmpty();
        host.NumaCells.Sum(c => c.MemoryMb).ShouldBeGreaterThan(0);
    }
}
