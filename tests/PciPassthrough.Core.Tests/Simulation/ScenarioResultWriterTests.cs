using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Tests.Simulation;

public sealed class ScenarioResultWriterTests
{
    private static readonly HostCellReport _cell = new(0, null, [0, 1], [], 2048, 0, 0, [], [new NumaPages(2048, 4, 0)]);

    [Fact]
    public void Write_HostThatDidNotStart_HasNoDeviceKeysInFinalState() // §4.5
    {
        var json = Write(Result(
            hosts: [new HostReport
            {
                Name = "h",
                Error = new PciError("PciConfigInvalidSpec", "bad"),
                ErrorStage = "device_spec",
                DeviceSpecRaw = ["{"],
                NumaCells = [_cell],
                PlacementInventory = [new ResourceInventory("VCPU", 2, 0, 16, 2)],
            }],
            final: [new FinalHostState
            {
                Name = "h", Ok = false, NumaCells = [_cell], PlacementUsage = new Dictionary<string, BigInteger> { ["VCPU"] = 0 },
                Instances = [],
            }]));

        json["hosts"]!["h"]!.ToJsonString().ShouldBe("""
            {"ok":false,"error":{"type":"PciConfigInvalidSpec","nova_exception":true,"message":"bad"},"error_stage":"device_spec","device_spec":{"raw":["{"],"specs":null},"tracked_devices":[],"ignored_devices":[],"pools":[],"numa_cells":[{"id":0,"socket":null,"cpus":[0,1],"pcpus":[],"memory_mb":2048,"cpu_usage":0,"memory_usage_mb":0,"pinned_cpus":[],"hugepages":[{"size_kb":2048,"total":4,"used":0,"reserved":0}]}],"placement_inventory":{"VCPU":{"total":2,"reserved":0,"allocation_ratio":16,"max_unit":2}},"placement":null}
            """);
        json["final_state"]!["h"]!.AsObject().Select(p => p.Key)
            .ShouldBe(["ok", "numa_cells", "placement_usage", "instances"]);
    }

    [Fact]
    public void Write_Boot_ChecksAndExplainInTheirPlaces() // §4.4, §4.1: explain is the only extra key
    {
        var evaluation = new HostEvaluation
        {
            Host = "h",
            RejectedBy = HostChecks.Placement,
            PlacementCheck = new CapacityVerdict(["no PCPU inventory"], new Dictionary<string, PythonNumber> { ["MEMORY_MB"] = PythonNumber.Of(1.5) }),
            PciPassthroughFilterPassed = true,
            NumaTopologyFilterPassed = false,
            Rejections = [new Rejection(HostChecks.Placement, "no PCPU inventory")],
        };
        var boot = new BootResult(0, "vm", BootResult.NoValidHost, null, new ApiReport
        {
            ExtraSpecErrors = [new ExtraSpecError("hw:x", new PciError("ValidationError", "unknown", NovaException: true))],
            Resources = new Dictionary<string, BigInteger> { ["PCPU"] = 1 },
        }, [evaluation]);

        var json = Write(Result(requests: [boot, new DeleteResult(1, JsonDocument.Parse("\"vm\"").RootElement, null, [],
            new PciError("ScenarioNote", "not placed", NovaException: false))]));

        json["requests"]![0]!["hosts"]!["h"]!.ToJsonString().ShouldBe("""
            {"fits":false,"rejected_by":"placement","checks":{"placement":{"ok":false,"reasons":["no PCPU inventory"],"free":{"MEMORY_MB":1.5}},"PciPassthroughFilter":true,"NUMATopologyFilter":false,"claim":null},"numa_cells":null,"scheduler_numa_cells":null,"pci_devices":null,"explain":{"reasons":[{"check":"placement","request_index":null,"reason":"no PCPU inventory"}]}}
            """);
        json["requests"]![0]!["api"]!["extra_spec_errors"]![0]!["key"]!.GetValue<string>().ShouldBe("hw:x");
        json["requests"]![1]!.ToJsonString().ShouldBe("""
            {"index":1,"name":"vm","action":"delete","host":null,"changed_devices":[],"error":{"type":"ScenarioNote","nova_exception":false,"message":"not placed"}}
            """);
    }

    [Fact]
    public void Write_TopLevel_HasTheFiveKeysAndAnEngine() // §4
    {
        var json = Write(Result());

        json.AsObject().Select(p => p.Key).ShouldBe(["engine", "scenario", "config", "hosts", "requests", "final_state"]);
        json["config"]!.ToJsonString().ShouldBe("""{"alias":{"ok":true,"error":null,"aliases":{}},"report_in_placement":false}""");
    }

    private static ScenarioResult Result(
        IReadOnlyList<HostReport>? hosts = null, IReadOnlyList<StepResult>? requests = null,
        IReadOnlyList<FinalHostState>? final = null) =>
        new(NovaRelease.Zed, "s", new AliasReport(null, []), false, hosts ?? [], requests ?? [], final ?? []);

    private static JsonNode Write(ScenarioResult result) =>
        JsonNode.Parse(Encoding.UTF8.GetString(ResultBytes.Of(result)))!;
}
