using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Numa.NumaBuilders;

namespace PciPassthrough.Testing.Scheduling;

/// <summary>Hosts and servers for scheduler tests, built through the real pipeline (specs → tracker → pool summary).</summary>
public static class SchedulingBuilders
{
    public const string VfSpec = """{"vendor_id": "8086", "product_id": "1515"}""";
    public const string VfRequest = "vendor_id=8086;product_id=1515;dev_type=type-VF";

    /// <summary>One NUMA cell (16 CPUs, 32 GiB) and, unless <paramref name="vfs"/> is 0, one PF with that many VFs on it.</summary>
    public static HostState Host(string name, int vfs) => new()
    {
        Name = name,
        Capacity = HostCapacity.Create(16, 0, 32768, 16.0, 1.5, 512),
        Pools = Tracker(vfs).Pools.SchedulerView(),
        Numa = new HostNumaTopology([HostCell(0, 0, 16, 32768, socket: 0)]),
    };

    /// <summary>The compute's tracker behind <see cref="Host"/>: one PF with <paramref name="vfs"/> VFs on cell 0.</summary>
    public static PciDeviceTracker Tracker(int vfs)
    {
        var builder = new PciHostBuilder().WithCell(0, 0).WithSpec(VfSpec);
        if (vfs > 0)
        {
            builder.WithPfAndVfs("0000:81:00.0", vfs, numa: 0);
        }

        return builder.Build();
    }

    /// <summary>2 VCPUs, 2 GiB, <paramref name="vfs"/> VFs (none for 0) and optionally a guest NUMA topology.</summary>
    public static ServerRequest Server(int vfs, GuestNumaTopology? numa = null, string name = "vm") => new()
    {
        Name = name,
        Resources = new Dictionary<string, long> { ["VCPU"] = 2, ["MEMORY_MB"] = 2048 },
        PciRequests = vfs == 0 ? [] : [PciRequests.Alias(vfs, VfRequest, PciNumaPolicy.Legacy)],
        NumaTopology = numa,
    };
}
