using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Testing.Config;

/// <summary>Short builders for reported devices in config tests.</summary>
public static class PciDevices
{
    public static PciDeviceRecord Plain(string address, string vendorId = "8086", string productId = "5057") => new()
    {
        Address = address,
        VendorId = vendorId,
        ProductId = productId,
        DeviceType = PciDeviceType.Pci,
    };

    public static PciDeviceRecord Pf(string address, string vendorId = "8086", string productId = "1572",
        string? netdev = null, string? vfProductId = null) => new()
        {
            Address = address,
            VendorId = vendorId,
            ProductId = productId,
            DeviceType = PciDeviceType.PhysicalFunction,
            Netdev = netdev,
            VfProductId = vfProductId,
        };

    public static PciDeviceRecord Vf(string address, string parentAddress, string vendorId = "8086",
        string productId = "154c", string? serial = null) => new()
        {
            Address = address,
            VendorId = vendorId,
            ProductId = productId,
            DeviceType = PciDeviceType.VirtualFunction,
            ParentAddress = parentAddress,
            CardSerialNumber = serial,
        };
}
