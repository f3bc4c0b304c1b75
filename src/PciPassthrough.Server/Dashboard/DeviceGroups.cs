using PciPassthrough.Core.Simulation.Results;
using PciPassthrough.Server.Controller;

namespace PciPassthrough.Server.Dashboard;

/// <summary>Devices of one resource class and pool across the fleet, by state.</summary>
/// <param name="ResourceClass">The Placement resource class the devices have (06 PM-9).</param>
/// <param name="Product">vendor_id:product_id.</param>
/// <param name="DevType"><c>type-PCI</c>, <c>type-PF</c>, <c>type-VF</c>.</param>
/// <param name="Pool">The pool tags other than the resource class, as <c>key=value</c> text.</param>
/// <param name="Counts">How many are free (available), used (allocated), reserved (claimed) or unavailable.</param>
public sealed record DeviceGroup(string ResourceClass, string Product, string DevType, string Pool, DeviceCounts Counts);

/// <summary>The fleet overview's device table.</summary>
public static class DeviceGroups
{
    public static List<DeviceGroup> Of(IEnumerable<TrackedDeviceReport> devices) =>
        [.. devices.GroupBy(d => (
                Class: DeviceResourceClass.Of(d),
                Product: $"{d.VendorId}:{d.ProductId}",
                d.DevType,
                Pool: string.Join(", ", (d.Tags ?? []).Where(t => t.Key != DeviceResourceClass.Tag).Select(t => $"{t.Key}={t.Value}"))))
            .OrderBy(g => g.Key.Class, StringComparer.Ordinal).ThenBy(g => g.Key.DevType, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Pool, StringComparer.Ordinal)
            .Select(g => new DeviceGroup(g.Key.Class, g.Key.Product, g.Key.DevType, g.Key.Pool, DeviceCounts.Of([.. g])))];
}
