using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Dashboard;

/// <summary>What the pages read from the store besides the engine's state.</summary>
public static class DashboardData
{
    /// <summary>Address → IOMMU group, from the <c>iommu_group</c> the agent adds to each device it reports.</summary>
    public static async Task<Dictionary<string, string>> IommuGroupsAsync(ControllerDb db, string host)
    {
        var row = await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Name == host);
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        if (row is null)
        {
            return groups;
        }

        using var description = JsonDocument.Parse(row.Description);
        if (description.RootElement.TryGetProperty("pci_devices", out var devices) && devices.ValueKind == JsonValueKind.Array)
        {
            foreach (var device in devices.EnumerateArray())
            {
                if (device.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.String
                    && device.TryGetProperty("iommu_group", out var group) && group.ValueKind is JsonValueKind.Number or JsonValueKind.String)
                {
                    groups[address.GetString()!.ToLowerInvariant()] = group.ToString();
                }
            }
        }

        return groups;
    }

    /// <summary>Server id → name, for labels.</summary>
    public static async Task<Dictionary<string, string>> ServerNamesAsync(ControllerDb db) =>
        await db.Servers.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, StringComparer.Ordinal);
}
