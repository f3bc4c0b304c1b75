using System.Globalization;
using PciPassthrough.Core;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Pools;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Benchmarks.Scheduling;

/// <summary>
/// The hosts and servers of the scheduling benchmarks (issue 5 targets), built through the real pipeline: reported
/// devices → <c>device_spec</c> → tracker → pools → the scheduler's pool summary.
/// </summary>
public static class SchedulingFleet
{
    private const string VfSpec = """{"vendor_id": "8086", "product_id": "154c"}""";

    /// <summary>A compute with <paramref name="cells"/> NUMA cells of 8 CPUs and 16 GiB, and per PF in
    /// <paramref name="pfCells"/> one Intel X710 PF with <paramref name="vfsPerPf"/> VFs on that cell.</summary>
    public static HostState Host(string name, int cells, IReadOnlyList<int> pfCells, int vfsPerPf)
    {
        var devices = new List<PciDeviceRecord>();
        for (var i = 0; i < pfCells.Count; i++)
        {
            var bus = 0x81 + i;
            var pf = Address(bus, 0);
            devices.Add(new PciDeviceRecord
            {
                Address = pf,
                VendorId = "8086",
                ProductId = "1572",
                DeviceType = PciDeviceType.PhysicalFunction,
                NumaNode = pfCells[i],
                VfProductId = "154c",
            });
            for (var vf = 1; vf <= vfsPerPf; vf++)
            {
                devices.Add(new PciDeviceRecord
                {
                    Address = Address(bus, vf),
                    VendorId = "8086",
                    ProductId = "154c",
                    DeviceType = PciDeviceType.VirtualFunction,
                    ParentAddress = pf,
                    NumaNode = pfCells[i],
                });
            }
        }

        var specs = DeviceSpecParser.Parse([VfSpec], new PciDeviceListProbe(devices));
        var sockets = Enumerable.Range(0, cells).Select(id => new NumaCellSocket(id, id)).ToList();
        var tracker = new PciDeviceTracker(NovaRelease.Latest, sockets);
        tracker.Sync([.. devices.Where(d => specs.Match(d).Spec is not null).Select(d => new MatchedPciDevice(d, specs.Match(d).Spec!))]);
        var numa = new HostNumaTopology([.. Enumerable.Range(0, cells).Select(id =>
            HostNumaCell.Create(id, 16384, Enumerable.Range(id * 8, 8), [], socket: id))]);
        return new HostState
        {
            Name = name,
            Capacity = HostCapacity.Create(cells * 8L, 0, cells * 16384L, 16.0, 1.5, 512),
            Pools = tracker.Pools.SchedulerView(),
            Numa = numa,
        };
    }

    /// <summary>A server asking <paramref name="vfs"/> X710 VFs under <paramref name="policy"/>, with
    /// <paramref name="guestCells"/> guest NUMA cells of 1 CPU and 1 GiB each (0 = no guest NUMA topology).</summary>
    public static ServerRequest Server(int vfs, PciNumaPolicy policy, int guestCells)
    {
        var guest = guestCells == 0 ? null : new GuestNumaTopology(
            [.. Enumerable.Range(0, guestCells).Select(id => new GuestNumaCell
            {
                Id = id, SharedCpus = [id], DedicatedCpus = [], MemoryMb = 1024,
            })], null);
        return new ServerRequest
        {
            Name = "vm",
            Resources = new Dictionary<string, long> { ["VCPU"] = Math.Max(1, guestCells), ["MEMORY_MB"] = 1024L * Math.Max(1, guestCells) },
            PciRequests =
            [
                new PciRequest
                {
                    Count = vfs, AliasName = "vf", NumaPolicy = policy, RequestId = "r0",
                    Specs = [new Dictionary<string, string?> { ["vendor_id"] = "8086", ["product_id"] = "154c", ["dev_type"] = "type-VF" }],
                },
            ],
            NumaTopology = guest,
        };
    }

    private static string Address(int bus, int routing) =>
        string.Create(CultureInfo.InvariantCulture, $"0000:{bus:x2}:{routing >> 3:x2}.{routing & 7:x1}");
}
