using System.Text;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>scenario-format §5: the Placement view reported at start-up and in the final state.</summary>
public sealed class ScenarioRunnerPlacementTests
{
    private const string Devices = """
        [{"address": "0000:81:00.0", "vendor_id": "8086", "product_id": "1572", "dev_type": "type-PF", "numa_node": 0},
         {"address": "0000:81:02.0", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF", "parent_addr": "0000:81:00.0", "numa_node": 0},
         {"address": "0000:81:02.1", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF", "parent_addr": "0000:81:00.0", "numa_node": 0},
         {"address": "0000:3b:00.0", "vendor_id": "10de", "product_id": "1eb8", "dev_type": "type-PCI", "numa_node": 0},
         {"address": "0000:5e:00.0", "vendor_id": "8086", "product_id": "0d58", "dev_type": "type-PCI", "numa_node": 0}]
        """;

    [Fact]
    public void SIM50_SIM51_ProvidersPerParentAndPerPfOfTheVfs_UsageOnlyInTheFinalState()
    {
        var result = Run("""
            ["{\"vendor_id\": \"8086\", \"product_id\": \"154c\", \"traits\": \"fast\"}",
             "{\"vendor_id\": \"10de\", \"resource_class\": \"gpu\"}",
             "{\"vendor_id\": \"8086\", \"product_id\": \"0d58\", \"physical_network\": \"net1\"}"]
            """, """[{"name": "vm", "flavor": {"vcpus": 1, "memory_mb": 512, "extra_specs": {"pci_passthrough:alias": "vf:2"}}}]""");

        var start = result["hosts"]!["h"]!["placement"]!;
        start["root"]!.GetValue<string>().ShouldBe("h");
        // SIM-50: VFs on their PF's provider (the PF itself is not tracked); the physnet-tagged device is left out.
        Names(start).ShouldBe(["h_0000:3B:00.0", "h_0000:81:00.0"]);
        var vfs = start["providers"]![1]!;
        vfs["inventories"]!.ToJsonString().ShouldBe("""{"CUSTOM_PCI_8086_154C":{"total":2,"max_unit":2,"used":0}}""");
        vfs["traits"]!.ToJsonString().ShouldBe("""["COMPUTE_MANAGED_PCI_DEVICE","CUSTOM_FAST"]""");
        start["providers"]![0]!["inventories"]!.ToJsonString().ShouldBe("""{"CUSTOM_GPU":{"total":1,"max_unit":1,"used":0}}""");

        result["requests"]![0]!["result"]!.GetValue<string>().ShouldBe("placed");
        var end = result["final_state"]!["h"]!["placement"]!["providers"]![1]!;
        end["inventories"]!.ToJsonString().ShouldBe("""{"CUSTOM_PCI_8086_154C":{"total":2,"max_unit":2,"used":2}}""");
        end["consumers"]!.ToJsonString().ShouldBe("""{"vm":2}""");
        result["hosts"]!["h"]!["placement"]!["providers"]![1]!["consumers"]!.ToJsonString().ShouldBe("{}");
    }

    [Fact]
    public void SIM50_PfAndItsVfBothTracked_RefuseStartUpAtStagePlacement() // §7 item 13
    {
        var host = Run("""["{\"vendor_id\": \"8086\"}"]""", "[]")["hosts"]!["h"]!;

        host["ok"]!.GetValue<bool>().ShouldBeFalse();
        host["error_stage"]!.GetValue<string>().ShouldBe("placement");
        host["error"]!["type"]!.GetValue<string>().ShouldBe("PlacementPciDependentDeviceException");
        host["placement"].ShouldBeNull();
        host["tracked_devices"]!.AsArray().Count.ShouldBe(4);
    }

    [Fact]
    public void SIM50_DevnameSpec_RefusesStartUp()
    {
        var host = Run("""["{\"devname\": \"ens1f0\"}"]""", "[]")["hosts"]!["h"]!;

        host["error_stage"]!.GetValue<string>().ShouldBe("placement");
        host["error"]!["type"]!.GetValue<string>().ShouldBe("PlacementPciException");
    }

    [Fact]
    public void SIM44_SIM51_FinalViewRefused_KeepsTheStartUpProvidersAndNamesTheError()
    {
        // The first boot's remote-managed VF loses its serial when the second boot evaluates the host (the reference
        // simulator's copy); freed, it matches the CUSTOM_X spec while its sibling keeps the default class.
        var scenario = ScenarioReader.Read(Encoding.UTF8.GetBytes("""
            {"config": {"report_in_placement": true, "device_spec": [
                "{\"vendor_id\": \"15b3\", \"product_id\": \"101e\", \"remote_managed\": \"true\"}",
                "{\"vendor_id\": \"15b3\", \"product_id\": \"101e\", \"resource_class\": \"CUSTOM_X\"}"]},
             "hosts": [{"name": "h", "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 4096}], "pci_devices": [
                {"address": "0000:81:00.0", "vendor_id": "15b3", "product_id": "101d", "dev_type": "type-PF", "numa_node": 0},
                {"address": "0000:81:00.2", "vendor_id": "15b3", "product_id": "101e", "dev_type": "type-VF", "parent_addr": "0000:81:00.0",
                 "numa_node": 0, "capabilities": {"vpd": {"card_serial_number": "MT1"}}},
                {"address": "0000:81:00.3", "vendor_id": "15b3", "product_id": "101e", "dev_type": "type-VF", "parent_addr": "0000:81:00.0",
                 "numa_node": 0, "capabilities": {"vpd": {"card_serial_number": "MT1"}}}]}],
             "requests": [{"name": "vm", "flavor": {"vcpus": 1, "memory_mb": 512}, "ports": [{"vnic_type": "remote-managed"}]},
                          {"name": "other", "flavor": {"vcpus": 1, "memory_mb": 512}},
                          {"delete": "vm"}]}
            """));
        var result = JsonNode.Parse(ResultBytes.Of(ScenarioRunner.Run(scenario)))!;

        var end = result["final_state"]!["h"]!["placement"]!;
        end["error"]!["type"]!.GetValue<string>().ShouldBe("PlacementPciMixedResourceClassException");
        end["providers"]!.ToJsonString().ShouldBe(result["hosts"]!["h"]!["placement"]!["providers"]!.ToJsonString());
        end["providers"]![0]!["inventories"]!.ToJsonString().ShouldBe("""{"CUSTOM_PCI_15B3_101E":{"total":2,"max_unit":2,"used":0}}""");
    }

    private static List<string> Names(JsonNode placement) =>
        [.. placement["providers"]!.AsArray().Select(p => p!["name"]!.GetValue<string>())];

    private static JsonNode Run(string deviceSpec, string requests)
    {
        var scenario = ScenarioReader.Read(Encoding.UTF8.GetBytes($$"""
            {"config": {"report_in_placement": true, "device_spec": {{deviceSpec}},
                        "alias": ["{\"name\": \"vf\", \"vendor_id\": \"8086\", \"product_id\": \"154c\", \"device_type\": \"type-VF\"}"]},
             "hosts": [{"name": "h", "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 4096}], "pci_devices": {{Devices}}}],
             "requests": {{requests}}}
            """));
        return JsonNode.Parse(ResultBytes.Of(ScenarioRunner.Run(scenario)))!;
    }
}
