using System.Text.Json;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// The <c>--format json</c> output of <c>host discover</c>, with Nova's field names:
/// <c>{root, devices: [{address, vendor_id, product_id, dev_type, parent_addr, numa_node, class, driver,
/// iommu_group, netdev, parent_ifname, vf_product_id, card_serial_number, total_vfs, enabled_vfs, device_spec,
/// status, pool, provider, not_selected}], device_specs: [{number, spec}], pools: [{number, free, keys}],
/// placement: {host, providers, error} or null, config_errors: [{file, line, kind, message}],
/// warnings: [{address, message, fix}]}</c>. Absent values are null;
/// <c>device_spec</c> and <c>pool</c> are 1-based numbers into the two lists.
/// </summary>
internal static class HostDiscoverJson
{
    public static void Write(string root, HostInventory inventory, NovaConfOptions? conf, TextWriter output) =>
        HostJson.Write(output, json =>
        {
            var pools = inventory.Tracker?.Pools.Pools ?? [];
            var poolOf = pools.SelectMany((pool, i) => pool.Devices.Select(d => (d.Address, Number: i + 1)))
                .ToDictionary(p => p.Address, p => p.Number, StringComparer.Ordinal);
            json.WriteString("root", root);
            json.WriteStartArray("devices");
            foreach (var device in inventory.Devices)
            {
                WriteDevice(json, device, poolOf, inventory.Placement?.ProviderOf);
            }

            json.WriteEndArray();
            json.WriteStartArray("device_specs");
            foreach (var spec in inventory.Specs)
            {
                json.WriteStartObject();
                json.WriteNumber("number", spec.Index + 1);
                json.WritePropertyName("spec");
                json.WriteRawValue(spec.ToJson());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("pools");
            foreach (var (pool, i) in pools.Select((pool, i) => (pool, i)))
            {
                json.WriteStartObject();
                json.WriteNumber("number", i + 1);
                json.WriteNumber("free", pool.Count);
                json.WritePropertyName("keys");
                pool.Keys.ToJsonObject().WriteTo(json);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WritePlacement(json, inventory);
            WriteConfigErrors(json, inventory, conf);
            json.WriteStartArray("warnings");
            foreach (var warning in inventory.Discovery.Warnings)
            {
                json.WriteStartObject();
                json.WriteString("address", warning.Address);
                json.WriteString("message", warning.Message);
                json.WriteString("fix", warning.Fix);
                json.WriteEndObject();
            }

            foreach (var warning in inventory.SyncWarnings.Concat(conf?.Warnings.Select(w => w.ToString()) ?? []))
            {
                json.WriteStartObject();
                json.WriteNull("address");
                json.WriteString("message", warning);
                json.WriteNull("fix");
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    /// <summary><c>placement: {host, providers: [{name, resource_class, total, reserved, traits, devices}], error}</c>,
    /// or null when reporting is off.</summary>
    private static void WritePlacement(Utf8JsonWriter json, HostInventory inventory)
    {
        if (inventory.Placement is null && inventory.PlacementError is null)
        {
            json.WriteNull("placement");
            return;
        }

        json.WriteStartObject("placement");
        json.WriteString("host", inventory.Placement?.View.HostName);
        json.WriteStartArray("providers");
        foreach (var provider in inventory.Placement?.Plan.Providers ?? [])
        {
            json.WriteStartObject();
            json.WriteString("name", provider.Name);
            json.WriteString("resource_class", provider.ResourceClass);
            json.WriteNumber("total", provider.Total);
            HostJson.WriteNumber(json, "reserved", provider.Reserved);
            json.WriteStartArray("traits");
            foreach (var trait in provider.Traits.Order(StringComparer.Ordinal))
            {
                json.WriteStringValue(trait);
            }

            json.WriteEndArray();
            json.WriteStartArray("devices");
            foreach (var device in provider.Devices)
            {
                json.WriteStringValue(device.Address);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (inventory.PlacementError is { } error)
        {
            json.WriteStartObject("error");
            json.WriteString("kind", error.Kind);
            json.WriteString("message", error.Message);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("error");
        }

        json.WriteEndObject();
    }

    private static void WriteConfigErrors(Utf8JsonWriter json, HostInventory inventory, NovaConfOptions? conf)
    {
        json.WriteStartArray("config_errors");
        var errors = (conf?.Errors.Select(e => (e.Location, e.Error)) ?? []).Concat(inventory.ConfigErrors);
        foreach (var (location, error) in errors)
        {
            json.WriteStartObject();
            json.WriteString("file", location.File);
            json.WriteNumber("line", location.Line);
            json.WriteString("kind", error.Kind);
            json.WriteString("message", error.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteDevice(
        Utf8JsonWriter json, InventoryDevice device, Dictionary<string, int> poolOf, IReadOnlyDictionary<string, string>? providerOf)
    {
        var (record, function) = (device.Record, device.Function);
        json.WriteStartObject();
        json.WriteString("address", record.Address);
        json.WriteString("vendor_id", record.VendorId);
        json.WriteString("product_id", record.ProductId);
        json.WriteString("dev_type", record.DeviceType.ToNovaName());
        json.WriteString("parent_addr", record.ParentAddress);
        HostJson.WriteNumber(json, "numa_node", record.NumaNode);
        json.WriteString("class", record.ClassCode);
        json.WriteString("driver", record.Driver);
        HostJson.WriteNumber(json, "iommu_group", record.IommuGroup);
        json.WriteString("netdev", record.Netdev);
        json.WriteString("parent_ifname", record.ParentIfname);
        json.WriteString("vf_product_id", record.VfProductId);
        json.WriteString("card_serial_number", record.CardSerialNumber);
        json.WriteNumber("total_vfs", function.TotalVfs);
        HostJson.WriteNumber(json, "enabled_vfs", function.EnabledVfs);
        HostJson.WriteNumber(json, "device_spec", device.Spec is { } spec ? spec.Index + 1 : null);
        json.WriteString("status", device.Tracked?.Status.ToNovaName());
        HostJson.WriteNumber(json, "pool", poolOf.TryGetValue(record.Address, out var pool) ? pool : null);
        json.WriteString("provider", providerOf?.GetValueOrDefault(record.Address));
        json.WriteString("not_selected", device.NoMatchReason);
        json.WriteEndObject();
    }
}
