using System.Text;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Core.Tests.Simulation;

namespace PciPassthrough.Core.Tests.Requests;

/// <summary>
/// 03 rules seen through <c>pcictl simulate</c>, under both releases; each expectation was checked against the Nova
/// oracle (Zed). Host: cell 0 (4 GiB) and cell 1 (1 GiB); the device a1 asks for sits on NUMA node 1, a VF on node 0.
/// </summary>
public sealed class PciRequestScenarioTests
{
    private const string Alias = """{\"name\": \"a1\", \"vendor_id\": \"8086\", \"product_id\": \"154d\", \"numa_policy\": \"required\"}""";

    [Theory]
    [InlineData(NovaRelease.Zed)]
    [InlineData(NovaRelease.Latest)]
    public void RQ4_AliasRequestsFirstThenPortsInOrder(NovaRelease release)
    {
        var boot = Run(release, [Alias], """
            {"name": "vm", "flavor": {"vcpus": 1, "memory_mb": 512, "extra_specs": {"pci_passthrough:alias": "a1:1"}},
             "ports": [{"name": "p0", "vnic_type": "direct"}, {"name": "n", "vnic_type": "normal"},
                       {"name": "p2", "vnic_type": "macvtap"}]}
            """);

        boot["result"]!.GetValue<string>().ShouldBe("placed");
        boot["api"]!["pci_requests"]!.AsArray().Select(r => $"{r!["source"]}:{r["alias_name"] ?? r["port"]}")
            .ShouldBe(["flavor:a1", "port:p0", "port:p2"]);
    }

    [Theory]
    [InlineData(NovaRelease.Zed, "{}", "placed")] // RQ-24: no guest NUMA topology, required ignored
    [InlineData(NovaRelease.Latest, "{}", "placed")] // RQ-24
    [InlineData(NovaRelease.Zed, """{"hw:numa_nodes": "1"}""", "no_valid_host")] // RQ-24: the guest fits cell 0 only
    [InlineData(NovaRelease.Latest, """{"hw:numa_nodes": "1"}""", "no_valid_host")] // RQ-24
    public void RQ24_RequiredPolicy_OnlyWithAGuestNumaTopology(NovaRelease release, string extraSpecs, string result)
    {
        var specs = JsonNode.Parse(extraSpecs)!.AsObject();
        specs["pci_passthrough:alias"] = "a1:1";
        var flavor = new JsonObject { ["vcpus"] = 1, ["memory_mb"] = 2048, ["extra_specs"] = specs };
        var boot = Run(release, [Alias], new JsonObject { ["name"] = "vm", ["flavor"] = flavor }.ToJsonString());

        boot["result"]!.GetValue<string>().ShouldBe(result);
    }

    [Theory]
    [InlineData(NovaRelease.Zed)]
    [InlineData(NovaRelease.Latest)]
    public void RQ11_RQ16_InvalidAliasSet_FailsTheBootsThatUseAnAlias(NovaRelease release)
    {
        var result = RunAll(release, [Alias, """{\"name\": \"bad\", \"foo\": \"x\"}"""], """
            [{"name": "gpu", "flavor": {"vcpus": 1, "memory_mb": 512, "extra_specs": {"pci_passthrough:alias": "a1:1"}}},
             {"name": "plain", "flavor": {"vcpus": 1, "memory_mb": 512}}]
            """);

        var boots = result["requests"]!.AsArray();
        (boots[0]!["result"]!.GetValue<string>(), boots[0]!["api"]!["error_stage"]!.GetValue<string>(),
            boots[0]!["api"]!["error"]!["type"]!.GetValue<string>()).ShouldBe(("api_error", "pci_requests", "PciInvalidAlias"));
        boots[1]!["result"]!.GetValue<string>().ShouldBe("placed");
        result["config"]!["alias"]!["ok"]!.GetValue<bool>().ShouldBeFalse();
    }

    private static JsonNode Run(NovaRelease release, string[] aliases, string boot) =>
        RunAll(release, aliases, $"[{boot}]")["requests"]![0]!;

    private static JsonNode RunAll(NovaRelease release, string[] aliases, string requests)
    {
        var scenario = ScenarioReader.Read(Encoding.UTF8.GetBytes($$"""
            {"config": {"device_spec": ["{\"vendor_id\": \"8086\"}"], "alias": [{{string.Join(",", aliases.Select(a => $"\"{a}\""))}}]},
             "hosts": [{"name": "h",
                        "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 4096}, {"id": 1, "cpus": [2, 3], "memory_mb": 1024}],
                        "pci_devices": [
                          {"address": "0000:81:00.0", "vendor_id": "8086", "product_id": "154d", "dev_type": "type-PCI", "numa_node": 1},
                          {"address": "0000:18:00.0", "vendor_id": "8086", "product_id": "1572", "dev_type": "type-PF", "numa_node": 0},
                          {"address": "0000:18:02.0", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF",
                           "parent_addr": "0000:18:00.0", "numa_node": 0},
                          {"address": "0000:18:02.1", "vendor_id": "8086", "product_id": "154c", "dev_type": "type-VF",
                           "parent_addr": "0000:18:00.0", "numa_node": 0}]}],
             "requests": {{requests}}}
            """));
        return JsonNode.Parse(ResultBytes.Of(ScenarioRunner.Run(scenario, release)))!;
    }
}
