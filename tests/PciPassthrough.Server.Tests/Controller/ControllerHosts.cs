using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>Scenario-format host objects (scenario-format §2.3) as agents report them, and the flavors that ask for
/// their devices.</summary>
public static class ControllerHosts
{
    public const string GpuVendor = "10de", GpuProduct = "20b5", NicVendor = "8086", PfProduct = "1572", VfProduct = "154c",
        Physnet = "physnet1";

    /// <summary><c>a100</c>: the GPUs; <c>migratable</c>: the same GPUs, asked as live-migratable (03 RQ-30).</summary>
    public static readonly IReadOnlyList<string> Aliases =
    [
        $$"""{"name": "a100", "vendor_id": "{{GpuVendor}}", "product_id": "{{GpuProduct}}", "device_type": "type-PCI"}""",
        $$"""{"name": "migratable", "vendor_id": "{{GpuVendor}}", "product_id": "{{GpuProduct}}", "device_type": "type-PCI", "live_migratable": "true"}""",
    ];

    /// <summary>Two NUMA cells of 8 CPUs and 64 GiB; <paramref name="gpus"/> GPUs split over the cells (the first on
    /// cell 0); with <paramref name="vfs"/> &gt; 0 an SR-IOV PF on cell 0 with that many VFs on <see cref="Physnet"/>.</summary>
    public static JsonObject Host(int gpus = 2, int vfs = 0, bool gpusLiveMigratable = false)
    {
        var devices = new JsonArray();
        for (var i = 0; i < gpus; i++)
        {
            devices.Add(new JsonObject
            {
                ["address"] = $"0000:{0x3b + i:x2}:00.0",
                ["vendor_id"] = GpuVendor,
                ["product_id"] = GpuProduct,
                ["dev_type"] = "type-PCI",
                ["numa_node"] = i % 2,
            });
        }

        if (vfs > 0)
        {
            devices.Add(new JsonObject
            {
                ["address"] = "0000:81:00.0",
                ["vendor_id"] = NicVendor,
                ["product_id"] = PfProduct,
                ["dev_type"] = "type-PF",
                ["numa_node"] = 0,
                ["netdev"] = "ens1f0",
            });
            for (var i = 0; i < vfs; i++)
            {
                devices.Add(new JsonObject
                {
                    ["address"] = $"0000:81:02.{i}",
                    ["vendor_id"] = NicVendor,
                    ["product_id"] = VfProduct,
                    ["dev_type"] = "type-VF",
                    ["parent_addr"] = "0000:81:00.0",
                    ["numa_node"] = 0,
                    ["parent_ifname"] = "ens1f0",
                });
            }
        }

        return new JsonObject
        {
            ["numa_cells"] = new JsonArray(Cell(0), Cell(1)),
            ["device_spec"] = new JsonArray(
                $$"""{"vendor_id": "{{GpuVendor}}", "product_id": "{{GpuProduct}}"{{(gpusLiveMigratable ? ", \"live_migratable\": \"yes\"" : "")}}}""",
                $$"""{"vendor_id": "{{NicVendor}}", "product_id": "{{VfProduct}}", "physical_network": "{{Physnet}}"}"""),
            ["pci_devices"] = devices,
        };
    }

    private static JsonObject Cell(int id) => new()
    {
        ["id"] = id,
        ["socket"] = id,
        ["cpus"] = new JsonArray([.. Enumerable.Range(id * 8, 8).Select(c => (JsonNode)c)]),
        ["memory_mb"] = 65536,
    };

    /// <summary>A flavor asking for <paramref name="count"/> devices of <paramref name="alias"/> (none when 0).</summary>
    public static JsonObject Flavor(string name, int count = 1, string alias = "a100", int vcpus = 2, JsonObject? extraSpecs = null)
    {
        var specs = extraSpecs ?? [];
        if (count > 0)
        {
            specs["pci_passthrough:alias"] = $"{alias}:{count}";
        }

        return new JsonObject { ["name"] = name, ["vcpus"] = vcpus, ["ram"] = 2048, ["disk"] = 10, ["extra_specs"] = specs };
    }
}
