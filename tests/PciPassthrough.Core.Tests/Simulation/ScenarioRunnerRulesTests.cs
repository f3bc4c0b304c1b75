using System.Text;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>scenario-format §1 and §3: how a scenario runs, on a small fleet: host "a" with one GPU, host "b" whose
/// device_spec is invalid, host "c" with one GPU (listed first), a nöde-named server and a delete of a ghost.</summary>
public sealed class ScenarioRunnerRulesTests
{
    private const string Scenario = """
        {"config": {"device_spec": ["{\"vendor_id\": \"10de\"}"],
                    "alias": ["{\"name\": \"gpu\", \"vendor_id\": \"10de\", \"product_id\": \"20b5\", \"device_type\": \"type-PCI\"}"]},
         "hosts": [
           {"name": "c", "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 4096}],
            "pci_devices": [{"address": "0000:3b:00.0", "vendor_id": "10de", "product_id": "20b5", "dev_type": "type-PCI", "numa_node": 0}]},
           {"name": "b", "device_spec": ["{\"vendor_id\": \"10dg\"}"], "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 4096}]},
           {"name": "a", "numa_cells": [{"id": 0, "cpus": [0, 1], "memory_mb": 4096}],
            "pci_devices": [{"address": "0000:3b:00.0", "vendor_id": "10de", "product_id": "20b5", "dev_type": "type-PCI", "numa_node": 0}]}],
         "requests": [
           {"name": "vm1", "flavor": {"vcpus": 1, "memory_mb": 512, "extra_specs": {"pci_passthrough:alias": "gpu:1"}}},
           {"name": "vm2", "flavor": {"vcpus": 1, "memory_mb": 512, "extra_specs": {"pci_passthrough:alias": "gpu:1"}}},
           {"name": "vm3", "flavor": {"vcpus": 1, "memory_mb": 512, "extra_specs": {"pci_passthrough:alias": "gpu:1"}}},
           {"name": "vm4", "flavor": {"vcpus": 1, "memory_mb": 512, "extra_specs": {"pci_passthrough:alias": "nic:1"}}},
           {"delete": "vm1"},
           {"name": "nöde", "flavor": {"vcpus": 1, "memory_mb": 512, "extra_specs": {"pci_passthrough:alias": "gpu:1"}}},
           {"delete": "ghost"}]}
        """;

    private static byte[] RunBytes() =>
        ResultBytes.Of(ScenarioRunner.Run(ScenarioReader.Read(Encoding.UTF8.GetBytes(Scenario))));

    private static JsonNode Run() => JsonNode.Parse(RunBytes())!;

    private static string Text(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public void SIM3_SIM20_SIM31_ContentTheReferenceRejects_IsPartOfTheResult()
    {
        var result = Run();

        result["hosts"]!["b"]!["ok"]!.GetValue<bool>().ShouldBeFalse();
        Text(result["hosts"]!["b"]!["error_stage"]).ShouldBe("device_spec");
        Text(result["requests"]![2]!["result"]).ShouldBe("no_valid_host");
        Text(result["requests"]![3]!["result"]).ShouldBe("api_error");
        Text(result["requests"]![3]!["api"]!["error_stage"]).ShouldBe("pci_requests");
        result["requests"]![3]!["hosts"]!.AsObject().ShouldBeEmpty();
    }

    [Fact]
    public void SIM11_HostOrder_IsOrdinalWhateverTheListOrder()
    {
        var result = Run();

        result["hosts"]!.AsObject().Select(h => h.Key).ShouldBe(["a", "b", "c"]);
        result["requests"]![0]!["hosts"]!.AsObject().Select(h => h.Key).ShouldBe(["a", "b", "c"]);
        Text(result["requests"]![0]!["chosen_host"]).ShouldBe("a");
    }

    [Fact]
    public void SIM32_Resources_VcpuAndMemoryOfTheFlavor() =>
        Run()["requests"]![0]!["api"]!["resources"]!.ToJsonString().ShouldBe("""{"VCPU":1,"MEMORY_MB":512}""");

    [Fact]
    public void SIM43_DeletingANameNotPlaced_ChangesNothingAndSaysSo()
    {
        var delete = Run()["requests"]![6]!;

        delete["host"].ShouldBeNull();
        delete["changed_devices"]!.AsArray().ShouldBeEmpty();
        Text(delete["error"]!["type"]).ShouldBe("ScenarioNote");
        delete["error"]!["nova_exception"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public void SIM4_SameScenario_SameBytes() => RunBytes().ShouldBe(RunBytes());

    [Fact]
    public void SIM5_Output_IsUtf8Json()
    {
        var bytes = RunBytes();

        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        Text(JsonNode.Parse(text)!["requests"]![5]!["name"]).ShouldBe("nöde");
    }

    [Fact]
    public void SIM10_EachRequestSeesTheStateThePreviousOnesLeft()
    {
        var requests = Run()["requests"]!.AsArray();

        requests.Select(r => r!["chosen_host"]?.GetValue<string>()).ShouldBe(["a", "c", null, null, null, "a", null]);
        Text(requests[4]!["host"]).ShouldBe("a");
    }

    [Fact]
    public void SIM21_SIM33_AFailedHost_IsComputeUnavailableForEveryBootAndNeverChanges()
    {
        var result = Run();

        foreach (var boot in result["requests"]!.AsArray().Where(r => r!["hosts"] is JsonObject { Count: > 0 }))
        {
            var b = boot!["hosts"]!["b"]!;
            Text(b["rejected_by"]).ShouldBe("compute_unavailable");
            b["checks"]!.AsObject().Select(c => c.Value).ShouldAllBe(check => check == null);
        }

        result["final_state"]!["b"]!["instances"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public void SIM41_SIM44_OnlyTheChosenHostChanges_AndTheFinalStateSaysHow()
    {
        var final = Run()["final_state"]!;

        final.AsObject().Select(h => h.Key).ShouldBe(["a", "b", "c"]);
        final["a"]!["instances"]!.AsArray().Select(Text).ShouldBe(["nöde"]);
        final["c"]!["instances"]!.AsArray().Select(Text).ShouldBe(["vm2"]);
        Text(final["a"]!["devices"]!.AsArray().Single()!["instance"]).ShouldBe("nöde");
        final["b"]!["devices"].ShouldBeNull();
        final["b"]!["numa_cells"]!.AsArray().ShouldHaveSingleItem();
    }
}
