using System.Numerics;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// How a placed guest uses its host cells (SIM-38, Nova's <c>numa_usage_from_instance_numa</c>): memory, shared
/// CPU count, pinned CPUs (whole sibling sets under <c>isolate</c>) and pages of the size backing each cell.
/// Usage never drops below zero.
/// </summary>
public static class NumaUsage
{
    public const string CpuPinningInvalid = "CPUPinningInvalid";

    /// <summary>The host after the guest's claim.</summary>
    /// <exception cref="PciException"><c>CPUPinningInvalid</c> (Nova's <c>pin_cpus</c>): a CPU to pin is pinned
    /// already. Only an <c>isolate</c> guest gets there: the fit may put its emulator thread on a CPU whose sibling set
    /// another guest holds part of, and the whole set is pinned.</exception>
    public static HostNumaTopology Add(HostNumaTopology host, FittedNumaTopology guest) => Apply(host, guest, sign: 1);

    /// <summary>The host after the guest is deleted.</summary>
    public static HostNumaTopology Subtract(HostNumaTopology host, FittedNumaTopology guest) => Apply(host, guest, sign: -1);

    private static HostNumaTopology Apply(HostNumaTopology host, FittedNumaTopology guest, int sign)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(guest);
        // Nova makes every host cell anew, which reorders their CPU sets (SIM-39)
        return Reordered(new HostNumaTopology([.. host.Cells.Select(cell =>
            guest.Cells.Where(fitted => fitted.HostCellId == cell.Id).Aggregate(cell, (current, fitted) => Apply(current, fitted, sign)))]),
            order => order.Coerced());
    }

    /// <summary>The host with the set order of each cell that tracks one changed by <paramref name="change"/>.</summary>
    internal static HostNumaTopology Reordered(HostNumaTopology host, Func<CpuSetOrder, CpuSetOrder> change) =>
        host.Cells.Any(cell => cell.SetOrder is not null)
            ? new HostNumaTopology([.. host.Cells.Select(cell => cell.SetOrder is { } order ? cell with { SetOrder = change(order) } : cell)])
            : host;

    private static HostNumaCell Apply(HostNumaCell cell, FittedNumaCell guest, int sign)
    {
        var pageSize = guest.PageSizeKb is { } size and not 0 ? size : cell.Pages.Min(pages => pages.SizeKb);
        var pinned = cell.PinnedCpus;
        if (guest.IsPinned)
        {
            var cpus = (guest.CpuPinning?.Values ?? []).Union(guest.CpusetReserved ?? []).ToHashSet();
            if (guest.CpuThreadPolicy == CpuThreadPolicy.Isolate)
            {
                cpus = [.. cell.Siblings.Where(set => set.Any(cpus.Contains)).SelectMany(set => set)];
            }

            if (sign > 0 && cpus.Overlaps(pinned))
            {
                throw new PciException(CpuPinningInvalid, $"CPU set to pin [{string.Join(", ", cpus.Order())}] must be a subset of "
                    + $"free CPU set [{string.Join(", ", cell.Pcpus.Except(pinned).Order())}]");
            }

            pinned = sign > 0 ? [.. pinned.Union(cpus).Order()] : [.. pinned.Except(cpus).Order()];
        }

        return cell with
        {
            MemoryUsageMb = Int128.Max(0, cell.MemoryUsageMb + ((Int128)guest.MemoryMb * sign)),
            CpuUsage = Int128.Max(0, cell.CpuUsage + (sign * guest.SharedCpus.Count)),
            PinnedCpus = pinned,
            Pages = [.. cell.Pages.Select(pages => pages.SizeKb == pageSize && pageSize > 0
                ? pages with { Used = UsedPages(pages.Used, guest.MemoryMb, pageSize, sign) }
                : pages)],
        };
    }

    /// <summary>
    /// Nova's <c>max(0, used + memory * 1024 / size * sign)</c> stored in an int field: a float sum (which may
    /// round to exactly 2^63 or beyond), truncated.
    /// </summary>
    private static Int128 UsedPages(Int128 used, long memoryMb, long pageSizeKb, int sign)
    {
        var sum = PythonNumber.ToDouble(used) + (PythonNumber.Quotient((BigInteger)memoryMb * 1024, pageSizeKb) * sign);
        return sum > 0 ? (Int128)Math.Truncate(sum) : 0;
    }
}
