using System.Text.Json;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Core.Tests.Simulation;

/// <summary>Hosts with A100-like GPUs and boots asking for them through the <c>gpu</c> or <c>lm</c> alias.</summary>
internal static class FleetFixtures
{
    public static readonly ScenarioConfig Config = new()
    {
        DeviceSpec = ["{\"vendor_id\": \"10de\", \"live_migratable\": \"true\"}", "{\"vendor_id\": \"8086\", \"product_id\": \"154c\"}"],
        Alias =
        [
            "{\"name\": \"gpu\", \"vendor_id\": \"10de\", \"product_id\": \"20b5\", \"device_type\": \"type-PCI\"}",
            "{\"name\": \"lm\", \"vendor_id\": \"10de\", \"product_id\": \"20b5\", \"live_migratable\": \"true\"}",
        ],
    };

    public static ScenarioHost Host(string name, int gpus) => ScenarioReader.ReadHost(JsonSerializer.SerializeToElement(new
    {
        name,
        numa_cells = new[] { new { id = 0, cpus = new[] { 0, 1, 2, 3 }, memory_mb = 16384 } },
        pci_devices = Enumerable.Range(0, gpus).Select(i => new
        {
            address = $"0000:{0x3b + i:x2}:00.0",
            vendor_id = "10de",
            product_id = "20b5",
            dev_type = "type-PCI",
            numa_node = 0,
        }),
    }), Config);

    public static ScenarioBoot Boot(string name, string alias, string? viommu = null, long memoryMb = 512) => ScenarioReader.ReadBoot(
        JsonSerializer.SerializeToElement(new
        {
            name,
            flavor = new
            {
                vcpus = 1,
                memory_mb = memoryMb,
                extra_specs = viommu is null
                    ? new Dictionary<string, string> { ["pci_passthrough:alias"] = alias }
                    : new Dictionary<string, string> { ["pci_passthrough:alias"] = alias, ["hw:viommu_model"] = viommu },
            },
            image = new { properties = new Dictionary<string, string> { ["hw_machine_type"] = "q35" } },
        }), 0);

    public static Fleet FleetOf(params ScenarioHost[] hosts)
    {
        var fleet = new Fleet(Config);
        foreach (var host in hosts)
        {
            fleet.UpsertHost(host).Report.Ok.ShouldBeTrue();
        }

        return fleet;
    }
}
