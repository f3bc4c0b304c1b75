using System.Text.Json;
using PciPassthrough.Core.Pci;
using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// The <c>--format json</c> output of <c>host discover</c>, with Nova's field names:
/// <c>{root, devices: [{address, vendor_id, product_id, dev_type, parent_addr, numa_node, class, driver,
/// iommu_group, netdev, parent_ifname, vf_product_id, card_serial_number, total_vfs, enabled_vfs}],
/// warnings: [{address, message, fix}]}</c>; absent values are null.
/// </summary>
internal static class HostDiscoverJson
{
    public static void Write(string root, DiscoveryResult result, TextWriter output) =>
        HostJson.Write(output, json =>
        {
            json.WriteString("root", root);
            json.WriteStartArray("devices");
            foreach (var function in result.Functions)
            {
                WriteDevice(json, function);
            }

            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var warning in result.Warnings)
            {
                json.WriteStartObject();
                json.WriteString("address", warning.Address);
                json.WriteString("message", warning.Message);
                json.WriteString("fix", warning.Fix);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    private static void WriteDevice(Utf8JsonWriter json, DiscoveredFunction function)
    {
        var record = function.Record;
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
        json.WriteEndObject();
    }
}
