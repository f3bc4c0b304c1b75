using System.Globalization;
using PciPassthrough.Core.Numa;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// Says why a guest NUMA topology does not fit a host (issue 5 item 5): too many guest cells, a guest cell no host
/// cell can take (with each host cell's free memory and CPUs), or cells that fit one by one but not together with
/// the PCI devices or the networks.
/// </summary>
public static class NumaExplanation
{
    public static Rejection Explain(string check, HostNumaTopology host, GuestNumaTopology guest, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(guest);
        ArgumentNullException.ThrowIfNull(request);
        if (guest.Cells.Count > host.Cells.Count)
        {
            return new Rejection(check, string.Create(CultureInfo.InvariantCulture,
                $"the guest has {guest.Cells.Count} NUMA cells, the host only {host.Cells.Count}"));
        }

        foreach (var cell in guest.Cells)
        {
            var reserved = cell.Id == 0 && guest.EmulatorThreadsIsolated ? 1 : 0;
            if (!host.Cells.Any(h => CellFitter.Check(h, cell, cell.PageSizeKb, null, reserved).Fits))
            {
                return new Rejection(check, $"guest cell {cell.Id} ({DescribeGuest(cell, reserved)}) fits no host cell: " +
                    string.Join("; ", host.Cells.Select(DescribeHost)));
            }
        }

        if (request.PciRequests.Count > 0)
        {
            return new Rejection(check, "no set of host cells that fits the guest also offers its PCI devices under their " +
                $"NUMA policy: {string.Join("; ", request.PciRequests.Select(PciExplanation.Describe))}");
        }

        if (request.Network is { } network && (network.Physnets.Count > 0 || network.Tunneled))
        {
            List<string> networks = [.. network.Physnets.Order(CodePointComparer.Instance)];
            if (network.Tunneled)
            {
                networks.Add("tunnelled networks");
            }

            return new Rejection(check,
                $"no set of host cells that fits the guest has NUMA affinity to its networks ({string.Join(", ", networks)})");
        }

        return new Rejection(check, "the guest cells fit host cells one by one, but not all at once within the allocation ratios");
    }

    private static string DescribeGuest(GuestNumaCell cell, int reserved) => string.Create(CultureInfo.InvariantCulture,
        $"{cell.SharedCpus.Count} shared + {cell.DedicatedCpus.Count + reserved} dedicated CPUs, {cell.MemoryMb} MB{(cell.PageSizeKb is { } page ? $", page size {page}" : "")}");

    private static string DescribeHost(HostNumaCell cell) => string.Create(CultureInfo.InvariantCulture,
        $"cell {cell.Id} has {cell.AvailableMemoryMb} of {cell.MemoryMb} MB free, {cell.Cpus.Count} shared CPUs " +
        $"({cell.CpuUsage} in use), {cell.FreePcpuCount} of {cell.Pcpus.Count} dedicated CPUs free");
}
