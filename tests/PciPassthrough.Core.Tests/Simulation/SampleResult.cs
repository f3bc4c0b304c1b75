using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>
/// A small but complete <c>simulate</c> result (scenario-format §4) for the comparer's tests, built from the
/// devices each boot took, so that a test can take other devices and get a result that is consistent throughout.
/// <list type="bullet">
/// <item>cmp-0: PFs 81:00.0 (parent of the VFs 81:00.1-3) and 82:00.0; GPUs 3b:00.0 and 3c:00.0 (spec 1) and
/// 3d:00.0 (spec 2, same pool); one ignored device of each kind; the GPUs are Placement providers.</item>
/// <item>cmp-1: VFs 05:00.1-3 of an untracked PF.</item>
/// <item>requests: 0 vm1 2 VFs on cmp-0 (cmp-1 fits too); 1 vm2 2 GPUs + 1 VF on cmp-0 (cmp-1 lacks PCPU);
/// 2 delete vm1; 3 vm3 1 VF on cmp-1 (requested; cmp-0 fits too); 4 vm4 1 PF: fits cmp-0 only but asks cmp-1;
/// 5 vm5 fails at the API with an extra spec error.</item>
/// </list>
/// </summary>
internal sealed record SampleResult
{
    public IReadOnlyList<string> Vm1Vfs { get; init; } = ["0000:81:00.3", "0000:81:00.2"];

    public IReadOnlyList<string> Vm1OtherHostVfs { get; init; } = ["0000:05:00.3", "0000:05:00.2"];

    public IReadOnlyList<string> Vm2Gpus { get; init; } = ["0000:3d:00.0", "0000:3c:00.0"];

    public string Vm2Vf { get; init; } = "0000:81:00.1";

    public string Vm3OtherHostVf { get; init; } = "0000:81:00.3";

    public string Vm3Vf { get; init; } = "0000:05:00.3";

    public string Vm4OtherHostPf { get; init; } = "0000:82:00.0";

    private static readonly JsonObject _physnet = new() { ["physical_network"] = "physnet1" };

    private static readonly Device[] _cmp0 =
    [
        new("0000:3b:00.0", "10de", "20b0", "type-PCI", null, 1, []),
        new("0000:3c:00.0", "10de", "20b0", "type-PCI", null, 1, []),
        new("0000:3d:00.0", "10de", "20b0", "type-PCI", null, 2, []),
        new("0000:81:00.0", "8086", "1572", "type-PF", null, 0, _physnet),
        new("0000:81:00.1", "8086", "154c", "type-VF", "0000:81:00.0", 0, _physnet),
        new("0000:81:00.2", "8086", "154c", "type-VF", "0000:81:00.0", 0, _physnet),
        new("0000:81:00.3", "8086", "154c", "type-VF", "0000:81:00.0", 0, _physnet),
        new("0000:82:00.0", "8086", "1572", "type-PF", null, 0, _physnet),
    ];

    private static readonly Device[] _cmp1 =
    [
        new("0000:05:00.1", "8086", "154c", "type-VF", "0000:05:00.0", 0, _physnet),
        new("0000:05:00.2", "8086", "154c", "type-VF", "0000:05:00.0", 0, _physnet),
        new("0000:05:00.3", "8086", "154c", "type-VF", "0000:05:00.0", 0, _physnet),
    ];

    public JsonObject Build()
    {
        var vm2Devices = Vm2Gpus.Append(Vm2Vf).ToHashSet();
        return new JsonObject
        {
            ["engine"] = new JsonObject { ["name"] = "nova-oracle" },
            ["scenario"] = "sample",
            ["config"] = new JsonObject
            {
                ["alias"] = new JsonObject { ["ok"] = true, ["error"] = null, ["aliases"] = new JsonObject() },
                ["report_in_placement"] = true,
            },
            ["hosts"] = new JsonObject
            {
                ["cmp-0"] = HostReport("cmp-0", _cmp0, new JsonArray(
                    new JsonObject { ["address"] = "0000:00:1f.0", ["reason"] = "no matching device_spec" },
                    new JsonObject { ["address"] = "0000:zz:00.0", ["reason"] = "address rejected: bus 'zz' is not hex" })),
                ["cmp-1"] = HostReport("cmp-1", _cmp1, []),
            },
            ["requests"] = new JsonArray(
                Boot(0, "vm1", "cmp-0",
                    ("cmp-0", Fits(Picks(_cmp0, Vm1Vfs, 0, "vf"), pinned: true)),
                    ("cmp-1", Fits(Picks(_cmp1, Vm1OtherHostVfs, 0, "vf")))),
                Boot(1, "vm2", "cmp-0",
                    ("cmp-0", Fits([.. Picks(_cmp0, Vm2Gpus, 0, "gpu"), .. Picks(_cmp0, [Vm2Vf], 1, "vf")])),
                    ("cmp-1", NoPcpu())),
                new JsonObject
                {
                    ["index"] = 2,
                    ["name"] = "vm1",
                    ["action"] = "delete",
                    ["host"] = "cmp-0",
                    ["changed_devices"] = new JsonArray([.. Vm1Vfs.Order(StringComparer.Ordinal).Select(a => (JsonNode)a)]),
                    ["error"] = null,
                },
                Boot(3, "vm3", "cmp-1",
                    ("cmp-0", Fits(Picks(_cmp0, [Vm3OtherHostVf], 0, "vf"))),
                    ("cmp-1", Fits(Picks(_cmp1, [Vm3Vf], 0, "vf")))),
                Boot(4, "vm4", null,
                    ("cmp-0", Fits(Picks(_cmp0, [Vm4OtherHostPf], 0, "pf"))),
                    ("cmp-1", NoPciDevice())),
                ApiError(5, "vm5")),
            ["final_state"] = new JsonObject
            {
                ["cmp-0"] = FinalState("cmp-0", _cmp0, ["vm2"], address => vm2Devices.Contains(address) ? "vm2" : null),
                ["cmp-1"] = FinalState("cmp-1", _cmp1, ["vm3"], address => address == Vm3Vf ? "vm3" : null),
            },
        };
    }

    private static JsonObject HostReport(string host, Device[] devices, JsonArray ignored) => new()
    {
        ["ok"] = true,
        ["error"] = null,
        ["error_stage"] = null,
        ["device_spec"] = new JsonObject { ["raw"] = new JsonArray(), ["specs"] = new JsonArray() },
        ["tracked_devices"] = new JsonArray([.. devices.Select(d => d.Tracked("available", null))]),
        ["ignored_devices"] = ignored,
        ["pools"] = Pools(devices, _ => true),
        ["numa_cells"] = new JsonArray(NumaCell()),
        ["placement_inventory"] = new JsonObject
        {
            ["VCPU"] = new JsonObject { ["total"] = 8, ["reserved"] = 0, ["allocation_ratio"] = 16, ["max_unit"] = 8 },
        },
        ["placement"] = Placement(host, devices, _ => null),
    };

    private static JsonObject FinalState(string host, Device[] devices, string[] instances, Func<string, string?> owner)
    {
        // A PF with an allocated VF is unavailable, and out of its pool.
        var usedParents = devices.Where(d => owner(d.Address) is not null).Select(d => d.Parent).ToHashSet();
        string Status(Device d) =>
            owner(d.Address) is not null ? "allocated" : usedParents.Contains(d.Address) ? "unavailable" : "available";
        return new JsonObject
        {
            ["ok"] = true,
            ["numa_cells"] = new JsonArray(NumaCell()),
            ["placement_usage"] = new JsonObject { ["VCPU"] = 2 },
            ["instances"] = new JsonArray([.. instances.Select(i => (JsonNode)i)]),
            ["devices"] = new JsonArray([.. devices.Select(d => d.Tracked(Status(d), owner(d.Address)))]),
            ["pools"] = Pools(devices, d => Status(d) == "available"),
            ["placement"] = Placement(host, devices, owner),
        };
    }

    private static JsonArray Pools(Device[] devices, Func<Device, bool> isFree) => new(
        [.. devices.GroupBy(d => d.PoolKeys().ToJsonString()).Select(pool => new JsonObject
        {
            ["keys"] = pool.First().PoolKeys(),
            ["count"] = pool.Count(isFree),
            ["devices"] = new JsonArray([.. pool.Where(isFree).Select(d => (JsonNode)d.Address)]),
        })]);

    private static JsonObject Placement(string host, Device[] devices, Func<string, string?> owner) => new()
    {
        ["root"] = host,
        ["providers"] = new JsonArray([.. devices.Where(d => d.Type == "type-PCI").Select(d =>
        {
            var consumer = owner(d.Address);
            return new JsonObject
            {
                ["name"] = $"{host}_{d.Address.ToUpperInvariant()}",
                ["parent"] = host,
                ["inventories"] = new JsonObject
                {
                    ["CUSTOM_PCI_10DE_20B0"] = new JsonObject
                    {
                        ["total"] = 1, ["max_unit"] = 1, ["used"] = consumer is null ? 0 : 1,
                    },
                },
                ["traits"] = new JsonArray("COMPUTE_MANAGED_PCI_DEVICE"),
                ["consumers"] = consumer is null ? new JsonObject() : new JsonObject { [consumer] = 1 },
            };
        })]),
        ["error"] = null,
    };

    private static JsonObject NumaCell() => new()
    {
        ["id"] = 0,
        ["socket"] = 0,
        ["cpus"] = new JsonArray(0, 1, 2, 3),
        ["pcpus"] = new JsonArray(4, 5, 6, 7),
        ["memory_mb"] = 8192,
        ["cpu_usage"] = 0,
        ["memory_usage_mb"] = 0,
        ["pinned_cpus"] = new JsonArray(),
        ["hugepages"] = new JsonArray(),
    };

    private static JsonObject Boot(int index, string name, string? chosen, params (string Host, JsonObject Evaluation)[] hosts) => new()
    {
        ["index"] = index,
        ["name"] = name,
        ["action"] = "boot",
        ["result"] = chosen is null ? "no_valid_host" : "placed",
        ["chosen_host"] = chosen,
        ["api"] = new JsonObject
        {
            ["ok"] = true,
            ["error"] = null,
            ["error_stage"] = null,
            ["extra_spec_errors"] = new JsonArray(),
        },
        ["hosts"] = new JsonObject(hosts.Select(h => KeyValuePair.Create(h.Host, (JsonNode?)h.Evaluation))),
    };

    private static JsonObject ApiError(int index, string name) => new()
    {
        ["index"] = index,
        ["name"] = name,
        ["action"] = "boot",
        ["result"] = "api_error",
        ["chosen_host"] = null,
        ["api"] = new JsonObject
        {
            ["ok"] = false,
            ["error"] = Error("ValidationError", "invalid extra spec"),
            ["error_stage"] = "flavor_image",
            ["extra_spec_errors"] = new JsonArray(
                new JsonObject { ["key"] = "hw:cpu_policy", ["type"] = "ValidationError", ["nova_exception"] = true, ["message"] = "'fast' is not one of shared, dedicated, mixed" }),
        },
        ["hosts"] = new JsonObject(),
    };

    private static JsonObject Error(string type, string message) =>
        new() { ["type"] = type, ["nova_exception"] = true, ["message"] = message };

    private static JsonObject Fits(JsonNode?[] picks, bool pinned = false)
    {
        JsonNode? Cells() => !pinned ? null : new JsonArray(new JsonObject
        {
            ["guest_cell"] = 0,
            ["host_cell"] = 0,
            ["cpus"] = new JsonArray(0, 1),
            ["shared_cpus"] = new JsonArray(),
            ["dedicated_cpus"] = new JsonArray(0, 1),
            ["memory_mb"] = 1024,
            ["pagesize_kb"] = 4,
            ["cpu_pinning"] = new JsonObject { ["0"] = 4, ["1"] = 5 },
            ["cpuset_reserved"] = null,
        });
        return Evaluation(true, null, Checks(placementOk: true, filter: true, claim: true), Cells(), Cells(), new JsonArray(picks));
    }

    private static JsonObject NoPcpu() =>
        Evaluation(false, "placement", Checks(placementOk: false, filter: null, claim: null), null, null, null);

    private static JsonObject NoPciDevice() =>
        Evaluation(false, "PciPassthroughFilter", Checks(placementOk: true, filter: false, claim: null), null, null, null);

    private static JsonObject Evaluation(
        bool fits, string? rejectedBy, JsonObject checks, JsonNode? cells, JsonNode? schedulerCells, JsonNode? picks) => new()
        {
            ["fits"] = fits,
            ["rejected_by"] = rejectedBy,
            ["checks"] = checks,
            ["numa_cells"] = cells,
            ["scheduler_numa_cells"] = schedulerCells,
            ["pci_devices"] = picks,
        };

    private static JsonObject Checks(bool placementOk, bool? filter, bool? claim) => new()
    {
        ["placement"] = new JsonObject
        {
            ["ok"] = placementOk,
            ["reasons"] = placementOk ? new JsonArray() : new JsonArray("no PCPU inventory"),
            ["free"] = new JsonObject { ["VCPU"] = 14, ["MEMORY_MB"] = 6144.5 },
        },
        ["PciPassthroughFilter"] = filter,
        ["NUMATopologyFilter"] = filter,
        ["claim"] = claim is null ? null : new JsonObject { ["ok"] = claim, ["error"] = null },
    };

    private static JsonNode?[] Picks(Device[] devices, IEnumerable<string> addresses, int requestIndex, string alias) =>
        [.. addresses.Select(address => devices.Single(d => d.Address == address).Pick(requestIndex, alias))];

    private sealed record Device(
        string Address, string Vendor, string Product, string Type, string? Parent, int Spec, JsonObject Tags)
    {
        public JsonObject Tracked(string status, string? instance) => new()
        {
            ["address"] = Address,
            ["vendor_id"] = Vendor,
            ["product_id"] = Product,
            ["dev_type"] = Type,
            ["numa_node"] = 0,
            ["parent_addr"] = Parent,
            ["status"] = status,
            ["instance"] = instance,
            ["spec_index"] = Spec,
            ["tags"] = Tags.DeepClone(),
        };

        public JsonObject Pick(int requestIndex, string alias) => new()
        {
            ["address"] = Address,
            ["vendor_id"] = Vendor,
            ["product_id"] = Product,
            ["dev_type"] = Type,
            ["numa_node"] = 0,
            ["parent_addr"] = Parent,
            ["request_index"] = requestIndex,
            ["alias"] = alias,
            ["port"] = null,
            ["pool"] = PoolKeys(),
        };

        public JsonObject PoolKeys()
        {
            var keys = new JsonObject { ["vendor_id"] = Vendor, ["product_id"] = Product, ["numa_node"] = 0, ["dev_type"] = Type };
            foreach (var (key, value) in Tags)
            {
                keys[key] = value?.DeepClone();
            }

            if (Type != "type-PCI")
            {
                keys["remote_managed"] = "false";
            }

            return keys;
        }
    }
}
