using System.Text;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>SIM-20: device report fields of unusual JSON types or sizes, read as the reference reads them.</summary>
public sealed class HostStartupDeviceReportTests
{
    [Fact]
    public void PL1_NumaNodePast64Bits_IsAPoolKeyReportedExactly() // §2.7: any integer; Nova's are Python ints
    {
        var host = Start("""["{\"vendor_id\": \"8086\"}"]""", """
            {"address": "0000:01:02.0", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF",
             "parent_addr": "0000:01:00.0", "numa_node": 18446744073709551619}
            """);

        host["tracked_devices"]![1]!["numa_node"]!.ToJsonString().ShouldBe("18446744073709551619");
        host["pools"]!.AsArray().Select(p => p!["keys"]!["numa_node"]!.ToJsonString()).ShouldBe(["0", "18446744073709551619"]);
    }

    [Theory]
    [InlineData("-1", "AttributeError")]
    [InlineData("true", "AttributeError")]
    [InlineData("\"x\"", "JSONDecodeError")] // kept as text, which is no JSON
    [InlineData("\"-1\"", "AttributeError")] // kept as text, which is JSON for an int
    [InlineData("\"[]\"", "AttributeError")] // a falsy list, but its text is stored
    [InlineData("\" NaN \"", "AttributeError")] // Python's json reads a float
    [InlineData("{\"vpd\": null}", "AttributeError")]
    [InlineData("{\"vpd\": 0}", "AttributeError")]
    public void LC1_SIM20_CapabilitiesWithoutGet_FailStageDevicesWithoutARemoteManagedSpec(string capabilities, string type)
    {
        var host = Start("""["{\"vendor_id\": \"8086\"}"]""", $$"""
            {"address": "0000:01:02.0", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF",
             "parent_addr": "0000:01:00.0", "numa_node": 0, "capabilities": {{capabilities}}}
            """);

        host["ok"]!.GetValue<bool>().ShouldBeFalse();
        host["error_stage"]!.GetValue<string>().ShouldBe("devices");
        host["error"]!["type"]!.GetValue<string>().ShouldBe(type);
        host["tracked_devices"]!.AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("[]")]
    [InlineData("\"\"")]
    [InlineData("{\"network\": 5}")]
    [InlineData("\" {\\\"vpd\\\": {}} \"")] // text that is a JSON object
    public void LC1_SIM20_CapabilitiesThatAreFalsyOrObjects_AreTracked(string capabilities)
    {
        var host = Start("""["{\"vendor_id\": \"8086\"}"]""", $$"""
            {"address": "0000:01:02.0", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF",
             "parent_addr": "0000:01:00.0", "numa_node": 0, "capabilities": {{capabilities}}}
            """);

        host["ok"]!.GetValue<bool>().ShouldBeTrue();
        host["tracked_devices"]!.AsArray().Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("5", false)]
    [InlineData("[1]", false)]
    [InlineData("0", true)] // falsy: the product of the first VF answers
    [InlineData("false", true)]
    public void DS29_NonStringVfProductId_FailsARemoteManagedDevnameSpec(string vfProductId, bool ok)
    {
        var host = Start(
            """["{\"devname\": \"eth0\", \"remote_managed\": \"true\", \"vendor_id\": \"8086\", \"product_id\": \"154c\"}"]""",
            """
            {"address": "0000:01:02.0", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF",
             "parent_addr": "0000:01:00.0", "numa_node": 0, "capabilities": {"vpd": {"card_serial_number": "A"}}}
            """, $$""", "netdev": "eth0", "vf_product_id": {{vfProductId}}""");

        host["ok"]!.GetValue<bool>().ShouldBe(ok);
        if (!ok)
        {
            host["error_stage"]!.GetValue<string>().ShouldBe("device_spec");
            host["error"]!["type"]!.GetValue<string>().ShouldBe("AttributeError");
        }
    }

    [Fact]
    public void DS25_NonStringNetdev_NamesNoInterface()
    {
        var host = Start("""["{\"devname\": \"5\"}"]""", """
            {"address": "0000:01:02.0", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF",
             "parent_addr": "0000:01:00.0", "numa_node": 0}
            """, """, "netdev": 5""");

        host["ok"]!.GetValue<bool>().ShouldBeTrue();
        host["tracked_devices"]!.AsArray().ShouldBeEmpty();
    }

    /// <summary>Host "h" with PF 0000:01:00.0 (<paramref name="pfExtra"/> appended to its keys) and <paramref name="vf"/>.</summary>
    private static JsonNode Start(string deviceSpec, string vf, string pfExtra = "")
    {
        var scenario = ScenarioReader.Read(Encoding.UTF8.GetBytes($$"""
            {"config": {"device_spec": {{deviceSpec}}},
             "hosts": [{"name": "h", "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 4096}], "pci_devices": [
                {"address": "0000:01:00.0", "vendor_id": "8086", "product_id": "1572", "dev_type": "type-PF", "numa_node": 0{{pfExtra}}},
                {{vf}}]}],
             "requests": []}
            """));
        return JsonNode.Parse(ResultBytes.Of(ScenarioRunner.Run(scenario)))!["hosts"]!["h"]!;
    }
}
