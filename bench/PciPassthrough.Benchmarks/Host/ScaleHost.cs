using System.Globalization;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Benchmarks.Host;

/// <summary>
/// A large SR-IOV compute host as discovery reports it: <c>pfs</c> Intel E810 PFs, one per bus from bus 01, each with
/// 124 VFs at functions 1…124 of its bus; PFs alternate between NUMA nodes 0 and 1.
/// </summary>
public static class ScaleHost
{
    public const int VfsPerPf = 124;

    /// <summary>Three lines: a glob address (bus 0x20), a regex address (buses 0x30-0x4f), and ids only (the rest).</summary>
    public static IReadOnlyList<string> DeviceSpecs { get; } =
    [
        """{"vendor_id":"8086","product_id":"1889","address":"0000:20:*.*","physical_network":"physnet0","trusted":"true"}""",
        """{"vendor_id":"8086","product_id":"1889","address":{"domain":"0000","bus":"[34][0-9a-f]"},"physical_network":"physnet1"}""",
        """{"vendor_id":"8086","product_id":"1889","physical_network":"physnet2"}""",
    ];

    public static IReadOnlyList<PciDeviceRecord> Devices(int pfs)
    {
        var devices = new List<PciDeviceRecord>(pfs * (VfsPerPf + 1));
        for (var bus = 1; bus <= pfs; bus++)
        {
            var numa = bus % 2;
            var pf = Address(bus, 0);
            devices.Add(new PciDeviceRecord
            {
                Address = pf,
                VendorId = "8086",
                ProductId = "1593",
                DeviceType = PciDeviceType.PhysicalFunction,
                NumaNode = numa,
                VfProductId = "1889",
                Netdev = $"ens{bus}f0",
            });
            for (var vf = 1; vf <= VfsPerPf; vf++)
            {
                devices.Add(new PciDeviceRecord
                {
                    Address = Address(bus, vf),
                    VendorId = "8086",
                    ProductId = "1889",
                    DeviceType = PciDeviceType.VirtualFunction,
                    ParentAddress = pf,
                    NumaNode = numa,
                    ParentIfname = $"ens{bus}f0",
                });
            }
        }

        return devices;
    }

    private static string Address(int bus, int routing) =>
        string.Create(CultureInfo.InvariantCulture, $"0000:{bus:x2}:{routing >> 3:x2}.{routing & 7:x1}");
}
