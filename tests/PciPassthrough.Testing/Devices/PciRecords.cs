using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Testing.Devices;

/// <summary>Short builders for reported devices with the fields pools and trackers read.</summary>
public static class PciRecords
{
    public static PciDeviceRecord Plain(string address, string vendorId = "8086", string productId = "aaaa", int? numa = null) =>
        Record(address, vendorId, productId, PciDeviceType.Pci, numa);

    public static PciDeviceRecord Pf(string address, string vendorId = "8086", string productId = "1528", int? numa = null) =>
        Record(address, vendorId, productId, PciDeviceType.PhysicalFunction, numa);

    public static PciDeviceRecord Vf(string address, string parentAddress, string vendorId = "8086", string productId = "1515",
        int? numa = null, string? parentIfname = null) =>
        Record(address, vendorId, productId, PciDeviceType.VirtualFunction, numa) with
        {
            ParentAddress = parentAddress,
            ParentIfname = parentIfname,
        };

    public static PciDeviceRecord Vdpa(string address, string parentAddress, string vendorId = "15b3", string productId = "101e",
        int? numa = null) =>
        Record(address, vendorId, productId, PciDeviceType.Vdpa, numa) with { ParentAddress = parentAddress };

    private static PciDeviceRecord Record(string address, string vendorId, string productId, PciDeviceType type, int? numa) =>
        new() { Address = address, VendorId = vendorId, ProductId = productId, DeviceType = type, NumaNode = numa };
}
