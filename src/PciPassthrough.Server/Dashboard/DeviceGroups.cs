using PciPassthrough.Core.Placement;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Server.Dashboard;

/// <summary>Devices of one resource class and pool across the fleet, by state.</summary>
/// <param name="ResourceClass">The Placement resource class the devices have (06 PM-9).</param>
/// <param name="Product">vendor_id:product_id.</param>
/// <param name="DevType"><c>type-PCI</c>, <c>type-PF</c>, <c>type-VF</c>.</param>
/// <param name="Pool">The pool tags other than the resource class, as <c>key=value</c> text.</param>
/// <param name="Free">Available.</param>
/// <param name="Used">Allocated.</param>
/// <param name="Reserved">Claimed (a boot or an incoming move in progress).</param>
/// <param name="Unavailable">Any other state: blocked by a related PF or VF, or removed.</param>
public sealed record DeviceGroup(string ResourceClass, string Product, string DevType, string Pool, int Free, int Used, int Reserved,
    int Unavailable);

/// <summary>The fleet overview's device table.</summary>
public static class DeviceGroups
{
    private const string ResourceClassTag = "resource_class";

    public static List<DeviceGroup> Of(IEnumerable<TrackedDeviceReport> devices) =>
        [.. devices.GroupBy(d => (
                Class: PlacementNames.ResourceClassOf(d.VendorId, d.ProductId, d.Tags?[ResourceClassTag]?.GetValue<string>()),
                Product: $"{d.VendorId}:{d.ProductId}",
                d.DevType,
                Pool: string.Join(", ", (d.Tags ?? []).Where(t => t.Key != ResourceClassTag).Select(t => $"{t.Key}={t.Value}"))))
            .OrderBy(g => g.Key.Class, StringComparer.Ordinal).ThenBy(g => g.Key.DevType, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Pool, StringComparer.Ordinal)
            .Select(g => new DeviceGroup(g.Key.Class, g.Key.Product, g.Key.DevType, g.Key.Pool,
                g.Count(d => d.Status == "available"), g.Count(d => d.Status == "allocated"), g.Count(d => d.Status == "claimed"),
                g.Count(d => d.Status is not ("available" or "allocated" or "claimed"))))];
}
