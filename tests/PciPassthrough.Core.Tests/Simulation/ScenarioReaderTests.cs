using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Core.Tests.Simulation;

public sealed class ScenarioReaderTests
{
    private const string MinimalHost = """{"name": "h", "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 2048}]}""";

    [Fact]
    public void Read_MinimalScenario_AppliesDefaults() // §2.6
    {
        var scenario = Read("""{"hosts": [""" + MinimalHost + """], "requests": [{"flavor": {"vcpus": 1, "memory_mb": 512}}]}""");

        scenario.Name.ShouldBe("scenario");
        scenario.Config.DeviceSpec.ShouldBeEmpty();
        scenario.Config.ReportInPlacement.ShouldBeFalse();
        var host = scenario.Hosts.ShouldHaveSingleItem();
        (host.CpuAllocationRatio, host.RamAllocationRatio, host.ReservedHostMemoryMb).ShouldBe((16.0, 1.5, 512L));
        var cell = host.NumaCells.ShouldHaveSingleItem();
        cell.Socket.ShouldBeNull();
        cell.Siblings.Select(s => s.ToArray()).ShouldBe([[0], [1]]);
        var boot = scenario.Requests.ShouldHaveSingleItem().ShouldBeOfType<ScenarioBoot>();
        boot.Name.ShouldBe("req-0");
        boot.Flavor.ExtraSpecs.ShouldBeEmpty();
    }

    [Fact]
    public void Read_NonStringConfigLines_BecomePythonJsonText() // §2.2
    {
        var scenario = Read("""
            {"config": {"device_spec": [{"vendor_id":"8086","product_id":"154c"}, "{\"address\": \"*:3b:00.*\"}"],
                        "alias": [{"name":"gpu","vendor_id":"10de"}], "report_in_placement": "no"}}
            """);

        scenario.Config.DeviceSpec.ShouldBe(["""{"vendor_id": "8086", "product_id": "154c"}""", """{"address": "*:3b:00.*"}"""]);
        scenario.Config.Alias.ShouldBe(["""{"name": "gpu", "vendor_id": "10de"}"""]);
        scenario.Config.ReportInPlacement.ShouldBeTrue(); // truthiness: a non-empty string
    }

    [Fact]
    public void Read_HostDeviceSpec_OverridesGlobalAndNullMeansNone() // §2.3
    {
        var scenario = Read("""{"config": {"device_spec": ["{}"]}, "hosts": [""" + MinimalHost
            + """, {"name": "own", "device_spec": null, "numa_cells": [{"id": 0, "memory_mb": 1}]}]}""");

        scenario.Hosts[0].DeviceSpec.ShouldBe(["{}"]);
        scenario.Hosts[1].DeviceSpec.ShouldBeEmpty();
    }

    [Fact]
    public void Read_NumberFields_IntegersExactBeyond2To53_FractionsTruncated() // §2.3.1: the reference reads them with int()
    {
        var host = Read("""
            {"hosts": [{"name": "h", "reserved_host_memory_mb": 9007199254740993,
                        "numa_cells": [{"id": 0, "memory_mb": 1, "cpu_usage": 9223372036854775807, "memory_usage_mb": -3.5,
                                        "hugepages": [{"size_kb": 2048.9, "total": 9007199254740995, "used": 1e3}]}]}]}
            """).Hosts[0];

        host.ReservedHostMemoryMb.ShouldBe(9007199254740993L);
        var cell = host.NumaCells[0];
        (cell.CpuUsage, cell.MemoryUsageMb).ShouldBe((long.MaxValue, -3L));
        cell.HugePages.ShouldBe([new NumaPages(2048, 9007199254740995, Used: 1000)]);
    }

    [Fact]
    public void SIM38_HugePageCounts_ExactPast2To63() // §2.7 bounds no number; Nova's counts are Python ints
    {
        var cell = Read("""
            {"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1,
                        "hugepages": [{"size_kb": 2048, "total": 25600000000000000000000, "used": 1e20}]}]}]}
            """).Hosts[0].NumaCells[0];

        cell.HugePages.ShouldBe([new NumaPages(2048, Int128.Parse("25600000000000000000000", CultureInfo.InvariantCulture),
            Used: Int128.Parse("100000000000000000000", CultureInfo.InvariantCulture))]);
    }

    [Fact]
    public void SIM45_ACpuListedTwice_CountsOnce() // Nova keeps a cell's CPUs in sets
    {
        var result = JsonNode.Parse(ResultBytes.Of(ScenarioRunner.Run(ScenarioReader.Read(Encoding.UTF8.GetBytes("""
            {"hosts": [{"name": "h", "numa_cells": [{"id": 0, "cpus": [2, 2], "pcpus": [5, 3, 5], "memory_mb": 2048}]}]}
            """)))))!;

        var inventory = result["hosts"]!["h"]!["placement_inventory"]!;
        (inventory["VCPU"]!["total"]!.GetValue<long>(), inventory["PCPU"]!["total"]!.GetValue<long>()).ShouldBe((1, 2));
        result["hosts"]!["h"]!["numa_cells"]![0]!["pcpus"]!.ToJsonString().ShouldBe("[3,5]");
    }

    [Fact]
    public void Read_Siblings_IntersectedWithCellCpusAndEmptySetsDropped() // §2.3.1
    {
        var cell = Read("""
            {"hosts": [{"name": "h", "numa_cells": [{"id": 0, "cpus": [0, 1], "pcpus": [2, 3], "memory_mb": 1,
                        "siblings": [[0, 8], [9], [3, 2]]}]}]}
            """).Hosts[0].NumaCells[0];

        cell.Siblings.Select(s => s.ToArray()).ShouldBe([[0], [2, 3]]);
    }

    [Fact]
    public void Read_Devices_LowerCasedAndPfLearnsVfProduct() // §2.4
    {
        var devices = Read("""
            {"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1}], "pci_devices": [
              {"address": "0000:3B:00.0", "vendor_id": "8086", "product_id": "1572", "dev_type": "type-PF"},
              {"address": "0000:3b:02.0", "vendor_id": "8086", "product_id": "154C", "dev_type": "type-VF",
               "parent_addr": "0000:3B:00.0", "numa_node": 1,
               "capabilities": {"vpd": {"card_serial_number": "MT1"}, "network": ["rx", "tx"]}}]}]}
            """).Hosts[0].PciDevices;

        devices[0].Address.ShouldBe("0000:3b:00.0");
        devices[0].VfProductId.ShouldBe("154c");
        devices[1].DeviceType.ShouldBe(PciDeviceType.VirtualFunction);
        devices[1].ParentAddress.ShouldBe("0000:3b:00.0");
        devices[1].NumaNode.ShouldBe(1);
        devices[1].CardSerialNumber.ShouldBe("MT1");
        devices[1].NetworkCapabilities.ShouldBe(["rx", "tx"]);
    }

    [Fact]
    public void Read_ExtraSpecValues_BecomeText() // §2.5
    {
        var boot = (ScenarioBoot)Read("""
            {"requests": [{"name": "vm", "flavor": {"vcpus": 1, "memory_mb": 1,
              "extra_specs": {"hw:numa_nodes": 2, "hw:x": true, "s": "t", "f": 1.0}}}]}
            """).Requests[0];

        boot.Flavor.ExtraSpecs.ShouldBe(new Dictionary<string, string>
        {
            ["hw:numa_nodes"] = "2",
            ["hw:x"] = "true",
            ["s"] = "t",
            ["f"] = "1.0",
        }, ignoreOrder: true);
    }

    [Fact]
    public void Read_Ports_DefaultNamesAndNetworkTypes() // §2.5.1
    {
        var boot = (ScenarioBoot)Read("""
            {"requests": [{"flavor": {"vcpus": 1, "memory_mb": 1},
              "ports": [{"vnic_type": "direct", "physical_network": "physnet1", "trusted": "yes"}, {"name": "p"}]}]}
            """).Requests[0];

        boot.Ports[0].Name.ShouldBe("port-0");
        boot.Ports[0].NetworkType.ShouldBe("vlan");
        boot.Ports[0].Trusted!.Value.GetString().ShouldBe("yes");
        boot.Ports[1].Name.ShouldBe("p");
        boot.Ports[1].VnicType.ShouldBe("normal");
        boot.Ports[1].NetworkType.ShouldBe("vxlan");
        boot.Ports[1].Trusted.ShouldBeNull();
    }

    [Fact]
    public void Read_NonStringPhysnets_CellsBecomePythonTextPortsKeepTheValue() // §2.5.1, §2.3.1: str() of a cell's; SIM-31 reads a port's
    {
        var scenario = Read("""
            {"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1, "physnets": [true, 1e20, 0, "x"]}]}],
             "requests": [{"flavor": {"vcpus": 1, "memory_mb": 1},
              "ports": [{"physical_network": 1}, {"physical_network": true}, {"physical_network": 0}, {"physical_network": false}]}]}
            """);

        scenario.Hosts[0].NumaCells[0].Physnets.ShouldBe(["True", "1e+20", "0", "x"]);
        var ports = ((ScenarioBoot)scenario.Requests[0]).Ports;
        ports.Select(p => (p.PhysicalNetwork!.Value.GetRawText(), p.NetworkType)).ShouldBe(
            [("1", "vlan"), ("true", "vlan"), ("0", "vxlan"), ("false", "vxlan")]); // the type follows truthiness
    }

    [Fact]
    public void Read_Delete_KeepsTheNameAsWritten()
    {
        var delete = Read("""{"requests": [{"delete": "vm1"}, {"delete": 5}]}""").Requests;

        delete[0].ShouldBeOfType<ScenarioDelete>().Name.ShouldBe("vm1");
        delete[1].ShouldBeOfType<ScenarioDelete>().Name.ShouldBeNull();
        ((ScenarioDelete)delete[1]).RawName.GetRawText().ShouldBe("5");
    }

    [Fact]
    public void Read_NullLists_AreEmpty() // §2.7: null counts as [] or {}
    {
        var scenario = Read("""
            {"config": null, "hosts": null, "requests": [{"flavor": {"vcpus": 1, "memory_mb": 1, "extra_specs": null},
             "image": {"properties": null}, "ports": null}]}
            """);

        scenario.Hosts.ShouldBeEmpty();
        ((ScenarioBoot)scenario.Requests[0]).ImageProperties.ShouldBeEmpty();
    }

    [Theory] // SIM-2, §2.7: one message naming the JSON path and what is expected there
    [InlineData("""[]""", "$: expected a JSON object, got []")]
    [InlineData("""{"config": []}""", "config: expected an object (or null), got []")]
    [InlineData("""{"config": {"alias": "x"}}""", "config.alias: expected a list (or null), got \"x\"")]
    [InlineData("""{"hosts": {}}""", "hosts: expected a list (or null), got {}")]
    [InlineData("""{"hosts": [1]}""", "hosts[0]: expected a host object, got 1")]
    [InlineData("""{"hosts": [{"numa_cells": []}]}""", "hosts[0].name: expected a non-empty string, got nothing")]
    [InlineData("""{"hosts": [{"name": ""}]}""", "hosts[0].name: expected a non-empty string, got \"\"")]
    [InlineData("""{"hosts": [{"name": "h"}]}""", "hosts[0].numa_cells: expected a non-empty list of NUMA cells, got nothing")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": []}]}""", "hosts[0].numa_cells: expected a non-empty list of NUMA cells, got []")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": "4G"}]}]}""", "hosts[0].numa_cells[0].memory_mb: expected an integer, got \"4G\"")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0.0, "memory_mb": 1}]}]}""", "hosts[0].numa_cells[0].id: expected an integer, got 0.0")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": true, "memory_mb": 1}]}]}""", "hosts[0].numa_cells[0].id: expected an integer, got true")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1}, {"id": 0, "memory_mb": 1}]}]}""", "hosts[0].numa_cells[1].id: expected a cell id not used by an earlier cell of the host, got 0")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1, "cpus": [0, "1"]}]}]}""", "hosts[0].numa_cells[0].cpus: expected a list of integers, got [0, \"1\"]")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1, "pinned_cpus": 3}]}]}""", "hosts[0].numa_cells[0].pinned_cpus: expected a list (or null), got 3")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1, "siblings": [1, 2]}]}]}""", "hosts[0].numa_cells[0].siblings: expected a list of lists of CPU numbers, got [1, 2]")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1, "socket": "0"}]}]}""", "hosts[0].numa_cells[0].socket: expected an integer or null, got \"0\"")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1, "cpu_usage": false}]}]}""", "hosts[0].numa_cells[0].cpu_usage: expected a number, got false")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1, "hugepages": [{"size_kb": 2048}]}]}]}""", "hosts[0].numa_cells[0].hugepages[0].total: expected a number, got nothing")]
    [InlineData("""{"hosts": [{"name": "h", "cpu_allocation_ratio": "16", "numa_cells": [{"id": 0, "memory_mb": 1}]}]}""", "hosts[0].cpu_allocation_ratio: expected a number, got \"16\"")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1}]}, {"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1}]}]}""", "hosts[1].name: expected a host name not used by an earlier host, got \"h\"")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1}], "pci_devices": [{"vendor_id": "8086", "product_id": "1", "dev_type": "type-PCI"}]}]}""", "hosts[0].pci_devices[0].address: expected a string, got nothing")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1}], "pci_devices": [{"address": "a", "vendor_id": "8086", "product_id": "1", "dev_type": "type-XX"}]}]}""", "hosts[0].pci_devices[0].dev_type: expected one of type-PCI, type-PF, type-VF, vdpa, got \"type-XX\"")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1}], "pci_devices": [{"address": "a", "vendor_id": "8086", "product_id": "1", "dev_type": "type-VF"}]}]}""", "hosts[0].pci_devices[0].parent_addr: expected the PF address (a string) of this type-VF, got nothing")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1}], "pci_devices": [{"address": "a", "vendor_id": "8086", "product_id": "1", "dev_type": "type-PCI", "numa_node": "0"}]}]}""", "hosts[0].pci_devices[0].numa_node: expected an integer or null, got \"0\"")]
    [InlineData("""{"hosts": [{"name": "h", "numa_cells": [{"id": 0, "memory_mb": 1}], "pci_devices": [{"address": "A", "vendor_id": "8086", "product_id": "1", "dev_type": "type-PCI"}, {"address": "a", "vendor_id": "8086", "product_id": "1", "dev_type": "type-PCI"}]}]}""", "hosts[0].pci_devices[1].address: expected an address not used by an earlier device of the host, got \"a\"")]
    [InlineData("""{"requests": [[]]}""", "requests[0]: expected a boot or delete object, got []")]
    [InlineData("""{"requests": [{"name": "vm"}]}""", "requests[0].flavor: expected a flavor object, got nothing")]
    [InlineData("""{"requests": [{"flavor": {"vcpus": "1", "memory_mb": 1}}]}""", "requests[0].flavor.vcpus: expected an integer, got \"1\"")]
    [InlineData("""{"requests": [{"flavor": {"vcpus": 1, "memory_mb": 1, "swap": "0"}}]}""", "requests[0].flavor.swap: expected a number, got \"0\"")]
    [InlineData("""{"requests": [{"flavor": {"vcpus": 1, "memory_mb": 1, "extra_specs": []}}]}""", "requests[0].flavor.extra_specs: expected an object (or null), got []")]
    [InlineData("""{"requests": [{"flavor": {"vcpus": 1, "memory_mb": 1}, "image": "cirros"}]}""", "requests[0].image: expected an object (or null), got \"cirros\"")]
    [InlineData("""{"requests": [{"flavor": {"vcpus": 1, "memory_mb": 1}, "ports": [1]}]}""", "requests[0].ports[0]: expected a port object, got 1")]
    [InlineData("""{"hosts": [{"name": "h\ud800"}]}""", "$.hosts[0].name: expected text, got bytes that are not UTF-8, or a lone surrogate escape (\\ud800-\\udfff without its pair)")] // was an internal error
    [InlineData("""{"\udc00": 1}""", "a key of $: expected text, got bytes that are not UTF-8, or a lone surrogate escape (\\ud800-\\udfff without its pair)")]
    public void Read_InvalidScenario_NamesPathAndExpectation(string json, string message) =>
        Should.Throw<ScenarioFormatException>(() => Read(json)).Message.ShouldBe(message);

    [Fact]
    public void Read_NotJson_IsAFormatError() => // SIM-2
        Should.Throw<ScenarioFormatException>(() => Read("{\"hosts\": ")).Path.ShouldBe("$");

    [Fact]
    public void Read_AnyText_GivesAScenarioOrAFormatError() => // parsers never throw anything else
        Gen.String.Sample(text =>
        {
            try
            {
                Read(text);
            }
            catch (ScenarioFormatException)
            {
            }
        });

    [Fact]
    public void Read_AnyJsonShape_GivesAScenarioOrAFormatError()
    {
        var value = Gen.Recursive<string>((depth, inner) => depth >= 4
            ? Gen.OneOf("1", "0.5", "true", "null", "\"x\"", "\"type-VF\"", "[]", "{}")
            : Gen.OneOf(
                Gen.OneOf("1", "-3", "\"0000:3b:00.0\"", "null"),
                inner.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]"),
                Gen.Select(Gen.OneOf("name", "hosts", "numa_cells", "id", "memory_mb", "cpus", "pci_devices",
                    "address", "vendor_id", "product_id", "dev_type", "requests", "flavor", "vcpus", "delete", "ports",
                    "siblings", "hugepages", "config", "device_spec"), inner)
                    .Array[0, 4].Select(pairs => "{" + string.Join(",", pairs.Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}")));
        value.Sample(json =>
        {
            try
            {
                Read(json);
            }
            catch (ScenarioFormatException)
            {
            }
        });
    }

    private static Scenario Read(string json) => ScenarioReader.Read(Encoding.UTF8.GetBytes(json));
}
