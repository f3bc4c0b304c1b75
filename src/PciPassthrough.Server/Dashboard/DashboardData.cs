using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Dashboard;

/// <summary>What the pages read from the store besides the engine's state.</summary>
public static class DashboardData
{
    /// <summary>Server id → name, for labels.</summary>
    public static async Task<Dictionary<string, string>> ServerNamesAsync(ControllerDb db) =>
        await db.Servers.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, StringComparer.Ordinal);
}
