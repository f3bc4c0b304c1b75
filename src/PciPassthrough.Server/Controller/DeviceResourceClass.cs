using PciPassthrough.Core.Placement;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Server.Controller;

/// <summary>The Placement resource class a tracked device counts under (06 PM-9), for the dashboard and metrics.</summary>
public static class DeviceResourceClass
{
    public const string Tag = "resource_class";

    /// <summary>Its spec's <c>resource_class</c> tag normalised, else <c>CUSTOM_PCI_&lt;VENDOR&gt;_&lt;PRODUCT&gt;</c>.</summary>
    public static string Of(TrackedDeviceReport device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return PlacementNames.ResourceClassOf(device.VendorId, device.ProductId, device.Tags?[Tag]?.GetValue<string>());
    }
}
