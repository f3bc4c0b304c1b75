using System.Text;
using System.Text.Json.Nodes;
using PciPassthrough.Testing.Scenarios;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>Each comparison rule of scenario-format §8 both ways: a real difference is named, an allowed one is not.</summary>
public sealed class ScenarioResultComparerTests
{
    private static readonly SampleResult _sample = new();

    [Fact]
    public void Compare_SameResult_FindsNoDifference() => Compare(_sample.Build(), _sample.Build()).ShouldBeNull();

    // Must match exactly.

    [Fact]
    public void Compare_OtherVerdict_NamesThePathAndBothValues() =>
        Compare(_sample.Build(), Changed(r => r["requests"]![0]!["hosts"]!["cmp-1"]!["fits"] = false))
            .ShouldBe("$.requests[0].hosts.cmp-1.fits: expected true, got false");

    [Fact]
    public void Compare_IntegralNumberWrittenWithAFraction_IsTheSameNumber() =>
        Compare(Text(_sample.Build()), Text(_sample.Build()).Replace("\"VCPU\":14,", "\"VCPU\":14.0,", StringComparison.Ordinal))
            .ShouldBeNull();

    [Theory]
    [InlineData(14.5, "expected 14, got 14.5")]
    [InlineData("14", "expected 14, got \"14\"")]
    public void Compare_OtherNumberOrAString_IsADifference(object value, string message) =>
        Compare(_sample.Build(), Changed(r => r["requests"]![0]!["hosts"]!["cmp-0"]!["checks"]!["placement"]!["free"]!["VCPU"] =
                JsonValue.Create(value)))
            .ShouldBe($"$.requests[0].hosts.cmp-0.checks.placement.free.VCPU: {message}");

    [Fact]
    public void Compare_TrueWrittenAsOne_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["config"]!["report_in_placement"] = 1))
            .ShouldBe("$.config.report_in_placement: expected true, got 1");

    [Fact]
    public void Compare_HostMissingFromABoot_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["requests"]![3]!["hosts"]!.AsObject().Remove("cmp-1")))
            .ShouldBe("$.requests[3].hosts.cmp-1: missing from the result");

    [Fact]
    public void Compare_OneRequestLess_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["requests"]!.AsArray().RemoveAt(5)))
            .ShouldStartWith("$.requests: expected 6 items, got 5");

    [Fact]
    public void Compare_FinalDevicesOutOfAddressOrder_IsADifference() =>
        Compare(_sample.Build(), Changed(r =>
        {
            var devices = r["final_state"]!["cmp-1"]!["devices"]!.AsArray();
            var first = devices[0]!;
            devices.RemoveAt(0);
            devices.Add(first);
        })).ShouldBe("$.final_state.cmp-1.devices: not in ascending order, as the expected list is");

    // Rule 1: keys other than the five top-level ones and `explain` are ignored; any other extra key counts.

    [Fact]
    public void Compare_OtherTopLevelKeys_AreIgnored() =>
        Compare(_sample.Build(), Changed(r =>
        {
            r.Remove("engine");
            r["produced_by"] = "pcictl";
        })).ShouldBeNull();

    [Fact]
    public void Compare_ExplainAnywhereOnEitherSide_IsIgnored()
    {
        var expected = _sample.Build();
        expected["requests"]![1]!["hosts"]!["cmp-1"]!["explain"] = "no PCPU inventory";

        Compare(expected, Changed(r =>
        {
            r["requests"]![0]!["hosts"]!["cmp-0"]!["explain"] = new JsonObject { ["weights"] = new JsonArray(1, 2) };
            r["hosts"]!["explain"] = "start-up";
        })).ShouldBeNull();
    }

    [Fact]
    public void Compare_AnotherExtraKey_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["requests"]![0]!["hosts"]!["cmp-0"]!["checks"]!["weight"] = 1.0))
            .ShouldBe("$.requests[0].hosts.cmp-0.checks.weight: unexpected key (only \"explain\" may be added)");

    [Fact]
    public void Compare_MissingKey_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["hosts"]!["cmp-0"]!.AsObject().Remove("placement_inventory")))
            .ShouldBe("$.hosts.cmp-0.placement_inventory: missing from the result");

    [Theory]
    [InlineData("scenario")]
    [InlineData("config")]
    [InlineData("hosts")]
    [InlineData("requests")]
    [InlineData("final_state")]
    public void Compare_TopLevelKeyMissing_IsADifference(string key) =>
        Compare(_sample.Build(), Changed(r => r.Remove(key))).ShouldBe($"$.{key}: missing from the result");

    [Fact]
    public void Compare_ResultNotAnObject_IsADifference() =>
        Compare(Text(_sample.Build()), "[]").ShouldBe("$: the result is not a JSON object");

    // Rule 2: error texts are free.

    [Fact]
    public void Compare_ErrorMessages_AreNotCompared() =>
        Compare(_sample.Build(), Changed(r =>
        {
            r["requests"]![5]!["api"]!["error"]!["message"] = "another text";
            r["requests"]![5]!["api"]!["extra_spec_errors"]![0]!["message"] = "";
        })).ShouldBeNull();

    [Theory]
    [InlineData("type", "\"InvalidRequest\"", "expected \"ValidationError\", got \"InvalidRequest\"")]
    [InlineData("nova_exception", "false", "expected true, got false")]
    [InlineData("key", "\"hw:cpu_thread_policy\"", "expected \"hw:cpu_policy\", got \"hw:cpu_thread_policy\"")]
    [InlineData("message", "null", "expected a string, got null")]
    public void Compare_ErrorTypeNovaExceptionOrKey_IsADifference(string field, string value, string message) =>
        Compare(_sample.Build(), Changed(r => r["requests"]![5]!["api"]!["extra_spec_errors"]![0]![field] = JsonNode.Parse(value)))
            .ShouldBe($"$.requests[5].api.extra_spec_errors[0].{field}: {message}");

    [Fact]
    public void Compare_PlacementReasonTexts_AreNotCompared() =>
        Compare(_sample.Build(), Changed(r =>
            r["requests"]![1]!["hosts"]!["cmp-1"]!["checks"]!["placement"]!["reasons"] = new JsonArray("PCPU: none")))
            .ShouldBeNull();

    [Fact]
    public void Compare_PlacementReasonCount_IsADifference() =>
        Compare(_sample.Build(), Changed(r =>
            r["requests"]![1]!["hosts"]!["cmp-1"]!["checks"]!["placement"]!["reasons"]!.AsArray().Add("MEMORY_MB")))
            .ShouldStartWith("$.requests[1].hosts.cmp-1.checks.placement.reasons: expected 1 reasons, got 2");

    [Fact]
    public void Compare_IgnoredDeviceReasonOfTheSameKind_IsNotCompared() =>
        Compare(_sample.Build(), Changed(r => r["hosts"]!["cmp-0"]!["ignored_devices"]![1]!["reason"] = "address rejected: 'zz'"))
            .ShouldBeNull();

    [Fact]
    public void Compare_IgnoredDeviceReasonOfAnotherKind_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["hosts"]!["cmp-0"]!["ignored_devices"]![0]!["reason"] = "address rejected: x"))
            .ShouldStartWith("$.hosts.cmp-0.ignored_devices[0].reason: the reasons are of different kinds");

    // Rule 3: pools are unordered, matched by keys; empty count-0 pools do not count.

    [Fact]
    public void Compare_PoolsAndTheirMembersInAnotherOrder_AreEqual() =>
        Compare(_sample.Build(), Changed(r =>
        {
            foreach (var pools in new[] { r["hosts"]!["cmp-0"]!["pools"]!, r["final_state"]!["cmp-1"]!["pools"]! })
            {
                var reversed = pools.AsArray().Reverse().Select(p => p!.DeepClone()).ToList();
                pools.AsArray().Clear();
                reversed.ForEach(p => pools.AsArray().Add(p));
            }

            r["final_state"]!["cmp-1"]!["pools"]![0]!["devices"] = new JsonArray("0000:05:00.2", "0000:05:00.1");
        })).ShouldBeNull();

    [Fact]
    public void Compare_PoolCount_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["final_state"]!["cmp-1"]!["pools"]![0]!["count"] = 3))
            .ShouldBe("$.final_state.cmp-1.pools[0].count: expected 2, got 3");

    [Fact]
    public void Compare_PoolMembers_IsADifference() =>
        Compare(_sample.Build(), Changed(r =>
            r["final_state"]!["cmp-1"]!["pools"]![0]!["devices"] = new JsonArray("0000:05:00.1", "0000:05:00.3")))
            .ShouldStartWith("$.final_state.cmp-1.pools[0].devices: pool members differ");

    [Fact]
    public void Compare_EmptyCountZeroPoolOnEitherSide_IsIgnored()
    {
        var expected = _sample.Build();
        expected["final_state"]!["cmp-1"]!["pools"]!.AsArray().Add(EmptyPool("type-PF"));

        Compare(expected, Changed(r => r["final_state"]!["cmp-0"]!["pools"]!.AsArray().Insert(0, EmptyPool("type-PCI"))))
            .ShouldBeNull();
    }

    [Fact]
    public void Compare_CountZeroPoolWithMembers_IsADifference() =>
        Compare(_sample.Build(), Changed(r =>
        {
            var pool = EmptyPool("type-PCI");
            pool["devices"] = new JsonArray("0000:3b:00.0");
            r["final_state"]!["cmp-0"]!["pools"]!.AsArray().Add(pool);
        })).ShouldStartWith("$.final_state.cmp-0.pools[3]: unexpected pool {\"vendor_id\":\"15b3\"");

    [Fact]
    public void Compare_PoolMissing_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["hosts"]!["cmp-0"]!["pools"]!.AsArray().RemoveAt(1)))
            .ShouldStartWith("$.hosts.cmp-0.pools[1]: pool {\"vendor_id\":\"8086\",\"product_id\":\"1572\"");

    // Rule 4: interchangeable devices may be swapped, consistently over the whole scenario.

    [Fact]
    public void Compare_InterchangeableGpuTakenAndReportedEverywhere_IsEqual() =>
        Compare(_sample.Build(), (_sample with { Vm2Gpus = ["0000:3d:00.0", "0000:3b:00.0"] }).Build()).ShouldBeNull();

    [Fact]
    public void Compare_InterchangeableGpuTakenButOtherInTheFinalDevices_IsADifference() =>
        Compare(_sample.Build(), Swapped(_sample with { Vm2Gpus = ["0000:3d:00.0", "0000:3b:00.0"] }, "devices"))
            .ShouldBe("$.final_state.cmp-0.devices[0].status: expected \"available\", got \"allocated\"");

    [Fact]
    public void Compare_InterchangeableGpuTakenButOtherAsPlacementConsumer_IsADifference() =>
        Compare(_sample.Build(), Swapped(_sample with { Vm2Gpus = ["0000:3d:00.0", "0000:3b:00.0"] }, "placement"))
            .ShouldBe("$.final_state.cmp-0.placement.providers[0].inventories.CUSTOM_PCI_10DE_20B0.used: expected 0, got 1");

    [Fact]
    public void Compare_InterchangeableGpuTakenButOtherInTheFinalPool_IsADifference() =>
        Compare(_sample.Build(), Swapped(_sample with { Vm2Gpus = ["0000:3d:00.0", "0000:3b:00.0"] }, "pools"))
            .ShouldStartWith("$.final_state.cmp-0.pools[0].devices: pool members differ");

    [Fact]
    public void Compare_DeviceMatchedByAnotherSpec_IsNotInterchangeable() =>
        Compare(_sample.Build(), (_sample with { Vm2Gpus = ["0000:3b:00.0", "0000:3c:00.0"] }).Build())
            .ShouldBe("$.requests[1].hosts.cmp-0.pci_devices[0].address: not the expected device nor one interchangeable "
                + "with it: expected \"0000:3d:00.0\", got \"0000:3b:00.0\"");

    [Fact]
    public void Compare_ParentOfTrackedDevices_IsNotInterchangeable() =>
        Compare(_sample.Build(), (_sample with { Vm4OtherHostPf = "0000:81:00.0" }).Build())
            .ShouldStartWith("$.requests[4].hosts.cmp-0.pci_devices[0].address: not the expected device");

    [Fact]
    public void Compare_InterchangeableVfsTakenConsistentlyUpToTheDelete_IsEqual() =>
        Compare(_sample.Build(), (_sample with
        {
            Vm1Vfs = ["0000:81:00.1", "0000:81:00.2"],
            Vm2Vf = "0000:81:00.3",
            Vm3OtherHostVf = "0000:81:00.1",
        }).Build()).ShouldBeNull();

    [Fact]
    public void Compare_DeleteFreeingOtherDevicesThanTheRenamedOnes_IsADifference() =>
        Compare(_sample.Build(), Changed(
            r => r["requests"]![2]!["changed_devices"] = new JsonArray("0000:81:00.2", "0000:81:00.3"),
            _sample with { Vm1Vfs = ["0000:81:00.1", "0000:81:00.2"], Vm2Vf = "0000:81:00.3", Vm3OtherHostVf = "0000:81:00.1" }))
            .ShouldBe("$.requests[2].changed_devices: changed devices differ (renamed from [\"0000:81:00.2\",\"0000:81:00.3\"]): "
                + "expected [\"0000:81:00.2\",\"0000:81:00.3\"], got [\"0000:81:00.1\",\"0000:81:00.2\"]");

    [Fact]
    public void Compare_ChangedDevicesOutOfAddressOrder_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["requests"]![2]!["changed_devices"] = new JsonArray("0000:81:00.3", "0000:81:00.2")))
            .ShouldBe("$.requests[2].changed_devices: not in ascending order, as the expected list is");

    [Fact]
    public void Compare_PickOfAHostNotChosenAgainstTheRenamingSoFar_IsADifference() =>
        Compare(_sample.Build(), (_sample with
        {
            Vm1Vfs = ["0000:81:00.1", "0000:81:00.2"],
            Vm2Vf = "0000:81:00.3",
            Vm3OtherHostVf = "0000:81:00.3",
        }).Build()).ShouldStartWith("$.requests[3].hosts.cmp-0.pci_devices[0].address: not the expected device");

    [Fact]
    public void Compare_PicksOfAHostNotChosen_DoNotExtendTheRenaming() =>
        Compare(_sample.Build(), (_sample with { Vm1OtherHostVfs = ["0000:05:00.1", "0000:05:00.2"] }).Build())
            .ShouldBeNull();

    [Fact]
    public void Compare_PicksOfOneRequestInAnotherOrder_AreEqual() =>
        Compare(_sample.Build(), (_sample with { Vm2Gpus = ["0000:3c:00.0", "0000:3d:00.0"] }).Build()).ShouldBeNull();

    [Fact]
    public void Compare_PicksOfTwoRequestsInAnotherOrder_IsADifference() =>
        Compare(_sample.Build(), Changed(r =>
        {
            var picks = r["requests"]![1]!["hosts"]!["cmp-0"]!["pci_devices"]!.AsArray();
            var vf = picks[2]!;
            picks.RemoveAt(2);
            picks.Insert(1, vf);
        })).ShouldBe("$.requests[1].hosts.cmp-0.pci_devices[1].request_index: a pick for another request: expected 0, got 1");

    [Fact]
    public void Compare_PickWithAnotherField_IsADifference() =>
        Compare(_sample.Build(), Changed(r => r["requests"]![1]!["hosts"]!["cmp-0"]!["pci_devices"]![1]!["numa_node"] = 1))
            .ShouldBe("$.requests[1].hosts.cmp-0.pci_devices[1].numa_node: expected 0, got 1");

    // Rule 5: the vCPU → pCPU pairing may differ, not the CPUs.

    [Fact]
    public void Compare_SameCpusPairedOtherwise_AreEqual() =>
        Compare(_sample.Build(), Changed(r =>
            r["requests"]![0]!["hosts"]!["cmp-0"]!["numa_cells"]![0]!["cpu_pinning"] = new JsonObject { ["0"] = 5, ["1"] = 4 }))
            .ShouldBeNull();

    [Theory]
    [InlineData("""{"0": 4, "1": 6}""")]
    [InlineData("""{"0": 4, "2": 5}""")]
    [InlineData("""{"0": 4}""")]
    [InlineData("null")]
    public void Compare_OtherCpusPinned_IsADifference(string pinning) =>
        Compare(_sample.Build(), Changed(r =>
            r["requests"]![0]!["hosts"]!["cmp-0"]!["scheduler_numa_cells"]![0]!["cpu_pinning"] = JsonNode.Parse(pinning)))
            .ShouldStartWith("$.requests[0].hosts.cmp-0.scheduler_numa_cells[0].cpu_pinning: ");

    private static JsonObject EmptyPool(string type) => new()
    {
        ["keys"] = new JsonObject { ["vendor_id"] = "15b3", ["product_id"] = "101e", ["numa_node"] = 0, ["dev_type"] = type },
        ["count"] = 0,
        ["devices"] = new JsonArray(),
    };

    /// <summary>The sample with <paramref name="choices"/>, but one final-state part of cmp-0 as in the default.</summary>
    private static JsonObject Swapped(SampleResult choices, string finalStateKey)
    {
        var result = choices.Build();
        result["final_state"]!["cmp-0"]![finalStateKey] = _sample.Build()["final_state"]!["cmp-0"]![finalStateKey]!.DeepClone();
        return result;
    }

    private static JsonObject Changed(Action<JsonObject> change, SampleResult? choices = null)
    {
        var result = (choices ?? _sample).Build();
        change(result);
        return result;
    }

    private static string Text(JsonNode result) => result.ToJsonString();

    private static string? Compare(JsonNode expected, JsonNode actual) => Compare(Text(expected), Text(actual));

    private static string? Compare(string expected, string actual) =>
        ScenarioResultComparer.Compare(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual))?.ToString();
}
