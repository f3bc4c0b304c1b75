using System.Text.Json.Nodes;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Host.Agent;

/// <summary>
/// What an agent tells the controller about its host (<c>PUT /v1/hosts/{name}</c>): a scenario-format host object
/// (scenario-format §2.3, §2.4) built from sysfs and <c>nova.conf</c>, so the controller's engine sees the host
/// exactly as <c>pcictl simulate</c> would.
/// </summary>
public static class HostDescription
{
    /// <summary>The host object, each device with its <c>iommu_group</c> when sysfs has one. <c>device_spec</c> is
    /// sent verbatim (the controller parses it, as a compute start does); the ratios and reserved memory only when
    /// <c>nova.conf</c> sets them, else the format's defaults hold; <c>hypervisor</c> (an agent key, not a
    /// scenario-format one) when libvirt answered, for the vIOMMU traits (07 LV-18).</summary>
    public static JsonObject Build(string name, IReadOnlyList<ScenarioNumaCell> cells, IReadOnlyList<PciDeviceRecord> devices,
        NovaConfOptions conf, HypervisorCapabilities? hypervisor = null)
    {
        ArgumentNullException.ThrowIfNull(conf);
        var host = new JsonObject
        {
            ["name"] = name,
            ["device_spec"] = new JsonArray([.. conf.DeviceSpecs.Select(entry => JsonValue.Create(entry.Value))]),
        };
        if (!conf.CpuAllocationRatio.IsDefault)
        {
            host["cpu_allocation_ratio"] = conf.CpuAllocationRatio.Value;
        }

        if (!conf.RamAllocationRatio.IsDefault)
        {
            host["ram_allocation_ratio"] = conf.RamAllocationRatio.Value;
        }

        if (!conf.ReservedHostMemoryMb.IsDefault)
        {
            host["reserved_host_memory_mb"] = conf.ReservedHostMemoryMb.Value;
        }

        host["numa_cells"] = new JsonArray([.. cells.Select(Cell)]);
        host["pci_devices"] = new JsonArray([.. devices.Select(Device)]);
        if (hypervisor is not null)
        {
            host["hypervisor"] = new JsonObject
            {
                ["guest_architectures"] = new JsonArray([.. hypervisor.GuestArchitectures.Order(StringComparer.Ordinal)
                    .Select(a => JsonValue.Create(a))]),
                ["libvirt_version"] = hypervisor.LibvirtVersion.ToString(),
            };
        }

        return host;
    }

    private static JsonObject Cell(ScenarioNumaCell cell) => new()
    {
        ["id"] = cell.Id,
        ["socket"] = cell.Socket,
        ["cpus"] = Ints(cell.Cpus),
        ["memory_mb"] = cell.MemoryMb,
        ["siblings"] = new JsonArray([.. cell.Siblings.Select(Ints)]),
    };

    private static JsonObject Device(PciDeviceRecord device)
    {
        var json = new JsonObject
        {
            ["address"] = device.Address,
            ["vendor_id"] = device.VendorId,
            ["product_id"] = device.ProductId,
            ["dev_type"] = device.DeviceType.ToNovaName(),
            ["numa_node"] = (long?)device.NumaNode, // a sysfs node number
        };
        if (device.IommuGroup is { } group)
        {
            // not read by the engine: the dashboard shows it, for the operator checking what vfio will take along
            json["iommu_group"] = group;
        }

        Add(json, "parent_addr", device.ParentAddress);
        Add(json, "parent_ifname", device.ParentIfname);
        Add(json, "netdev", device.Netdev);
        Add(json, "vf_product_id", device.VfProductId);
        var capabilities = new JsonObject();
        if (device.NetworkCapabilities.Count > 0)
        {
            capabilities["network"] = new JsonArray([.. device.NetworkCapabilities.Select(c => JsonValue.Create(c))]);
        }

        if (device.CardSerialNumber is { } serial)
        {
            capabilities["vpd"] = new JsonObject { ["card_serial_number"] = serial };
        }

        if (capabilities.Count > 0)
        {
            json["capabilities"] = capabilities;
        }

        return json;
    }

    private static JsonArray Ints(IReadOnlyList<int> values) => new([.. values.Select(v => JsonValue.Create(v))]);

    private static void Add(JsonObject json, string key, string? value)
    {
        if (value is not null)
        {
            json[key] = value;
        }
    }
}
