using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Testing.Numa;

/// <summary>Short ways to build host cells, guest topologies and PCI requests for NUMA tests.</summary>
public static class NumaBuilders
{
    /// <summary>A host cell with <paramref name="cpuCount"/> CPUs from <paramref name="firstCpu"/>, shared and dedicated alike.</summary>
    public static HostNumaCell HostCell(int id, int firstCpu, int cpuCount, long memoryMb = 4096, int? socket = null)
    {
        var cpus = Enumerable.Range(firstCpu, cpuCount).ToList();
        return HostNumaCell.Create(id, memoryMb, cpus, cpus, socket: socket);
    }

    /// <summary><paramref name="count"/> identical guest cells of <paramref name="cpusPerCell"/> CPUs each.</summary>
    public static GuestNumaTopology Guest(int count, int cpusPerCell, long memoryMb, CpuPolicy? policy = null,
        CpuThreadPolicy? threadPolicy = null, long? pageSizeKb = null, EmulatorThreadsPolicy? emulatorThreads = null)
    {
        var pinned = policy is CpuPolicy.Dedicated;
        return new GuestNumaTopology(
            [.. Enumerable.Range(0, count).Select(id =>
            {
                var cpus = Enumerable.Range(id * cpusPerCell, cpusPerCell).ToList();
                return new GuestNumaCell
                {
                    Id = id,
                    SharedCpus = pinned ? [] : cpus,
                    DedicatedCpus = pinned ? cpus : [],
                    MemoryMb = memoryMb,
                    PageSizeKb = pageSizeKb,
                    CpuPolicy = policy,
                    CpuThreadPolicy = threadPolicy,
                };
            })],
            emulatorThreads);
    }

    public static PciRequest PciRequest(int count = 1, PciNumaPolicy? policy = null) => new()
    {
        Count = count,
        Specs = [new Dictionary<string, string?> { ["vendor_id"] = "8086" }],
        AliasName = "a1",
        NumaPolicy = policy,
        RequestId = "req-0",
    };
}
