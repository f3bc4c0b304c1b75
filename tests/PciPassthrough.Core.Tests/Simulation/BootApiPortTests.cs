using System.Text;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>SIM-31 stage ports with ports of the types the format does not list: what Nova's port loop does.</summary>
public sealed class BootApiPortTests
{
    private static JsonNode Boot(string ports)
    {
        var scenario = $$"""
            {"config": {"device_spec": ["{\"vendor_id\": \"8086\", \"product_id\": \"154c\", \"physical_network\": \"physnet1\"}"]},
             "hosts": [{"name": "h", "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 4096}],
               "pci_devices": [{"address": "0000:81:02.0", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF",
                                "parent_addr": "0000:81:00.0", "numa_node": 0}]}],
             "requests": [{"name": "vm", "flavor": {"vcpus": 1, "memory_mb": 256}, "ports": {{ports}}}]}
            """;
        return JsonNode.Parse(ResultBytes.Of(ScenarioRunner.Run(ScenarioReader.Read(Encoding.UTF8.GetBytes(scenario)))))!
            ["requests"]![0]!;
    }

    [Theory]
    [InlineData("accelerator-direct")]
    [InlineData("accelerator-direct-physical")]
    public void RQ25_SIM31_AcceleratorPortWithoutDeviceProfile_IsDeviceProfileErrorAtStagePorts(string vnicType)
    {
        var boot = Boot($$"""[{"vnic_type": "direct", "physical_network": "physnet1"}, {"vnic_type": "{{vnicType}}"}]""");

        boot["result"]!.GetValue<string>().ShouldBe("api_error");
        boot["api"]!["error_stage"]!.GetValue<string>().ShouldBe("ports");
        boot["api"]!["error"]!["type"]!.GetValue<string>().ShouldBe("DeviceProfileError");
        boot["api"]!["error"]!["nova_exception"]!.GetValue<bool>().ShouldBeTrue();
        boot["hosts"]!.AsObject().ShouldBeEmpty();
    }

    [Fact]
    public void RQ25_SIM31_AcceleratorPort_IsRefusedBeforeItsPhysnetIsAdded()
    {
        var boot = Boot("""[{"vnic_type": "accelerator-direct", "physical_network": ["physnet1"]}]""");

        boot["api"]!["error"]!["type"]!.GetValue<string>().ShouldBe("DeviceProfileError");
    }

    [Fact]
    public void RQ25_SIM31_AnEarlierPortFailsFirst()
    {
        var boot = Boot("""[{"vnic_type": "direct", "physical_network": "physnet1", "numa_affinity_policy": "bogus"}, {"vnic_type": "accelerator-direct"}]""");

        boot["api"]!["error"]!["type"]!.GetValue<string>().ShouldBe("ValueError");
    }

    [Theory]
    [InlineData("baremetal")]
    [InlineData("smart-nic")]
    [InlineData("Direct")]
    public void RQ25_OtherPortTypes_AskForNoDevice(string vnicType)
    {
        var boot = Boot($$"""[{"vnic_type": "{{vnicType}}", "physical_network": "physnet1"}]""");

        boot["result"]!.GetValue<string>().ShouldBe("placed");
        boot["api"]!["pci_requests"]!.AsArray().ShouldBeEmpty();
    }
}
