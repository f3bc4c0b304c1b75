using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// Whether one guest cell fits one host cell (05 NF-13, Nova's <c>_numa_fit_instance_cell</c>): page size and
/// memory, shared CPU counts, dedicated CPUs (+ reserved) with pinning, then the allocation-ratio limits.
/// </summary>
internal static class CellFitter
{
    /// <summary>
    /// The outcome of one check. <see cref="ChosenPageSizeKb"/> is set as soon as a requested page size is found,
    /// even when a later test fails; <see cref="Pinning"/> as soon as the CPUs could be packed.
    /// </summary>
    public readonly record struct Outcome(bool Fits, long? ChosenPageSizeKb, CpuPinner.Result? Pinning);

    private static readonly Outcome _misfit = new(false, null, null);

    /// <summary>
    /// Checks <paramref name="guest"/> on <paramref name="host"/> with the page size it asks for now (Nova narrows it
    /// in place, see <see cref="NumaFitter"/>) and <paramref name="reservedCpus"/> extra dedicated CPUs for isolated
    /// emulator threads (NF-12).
    /// </summary>
    public static Outcome Check(HostNumaCell host, GuestNumaCell guest, long? pageSizeKb, NumaLimits? limits, int reservedCpus)
    {
        long? chosen = null;
        var memoryKb = (Int128)guest.MemoryMb * 1024;
        if (pageSizeKb is { } requested and not 0)
        {
            chosen = SupportedPageSize(host, requested, memoryKb);
            if (chosen is null)
            {
                return _misfit;
            }
        }
        else if (!FitsSmallestPages(host, guest.MemoryMb))
        {
            return _misfit;
        }

        var pinned = guest.IsPinned;
        var hasSharedCpus = guest.CpuPolicy is null or CpuPolicy.Shared or CpuPolicy.Mixed;
        var neededPcpus = (long)guest.DedicatedCpus.Count + reservedCpus;
        if ((pinned && neededPcpus > host.Pcpus.Count) || (hasSharedCpus && guest.SharedCpus.Count > host.Cpus.Count))
        {
            return new(false, chosen, null);
        }

        CpuPinner.Result? pinning = null;
        if (pinned)
        {
            if (neededPcpus > host.FreePcpuCount || guest.MemoryMb > host.AvailableMemoryMb)
            {
                return new(false, chosen, null);
            }

            pinning = CpuPinner.Pin(host, guest.DedicatedCpus.Count, guest.CpuThreadPolicy, reservedCpus);
            if (pinning is null)
            {
                return new(false, chosen, null);
            }
        }

        if (hasSharedCpus && limits is not null
            && (Exceeds(host.CpuUsage + guest.SharedCpus.Count, host.Cpus.Count * limits.CpuAllocationRatio)
                || Exceeds(host.MemoryUsageMb + guest.MemoryMb, host.MemoryMb * limits.RamAllocationRatio)))
        {
            return new(false, chosen, pinning);
        }

        return new(true, chosen, pinning);
    }

    // Nova compares the int usage with the float limit exactly, where a double sum rounds past 2^53 (SIM-38)
    private static bool Exceeds(Int128 usage, double limit) => PythonNumber.Of(limit).IsExceededBy(usage);

    /// <summary>
    /// The page size backing <paramref name="memoryKb"/> with free pages: small = the smallest size, large = any other
    /// (largest first), any = all (largest first), else exactly the size asked for; null when none has room.
    /// </summary>
    private static long? SupportedPageSize(HostNumaCell host, long requested, Int128 memoryKb)
    {
        List<long> sizes = [.. host.Pages.Select(pages => pages.SizeKb).OrderDescending()];
        IEnumerable<long> candidates = requested switch
        {
            MemoryPageSize.Small => sizes.TakeLast(1),
            MemoryPageSize.Large => sizes.SkipLast(1),
            MemoryPageSize.Any => sizes,
            _ => [requested],
        };
        foreach (var size in candidates)
        {
            var pages = host.Pages.FirstOrDefault(p => p.SizeKb == size);
            if (pages is null)
            {
                return null;
            }

            if (size > 0 && memoryKb <= pages.FreeKb && memoryKb % size == 0)
            {
                return size;
            }
        }

        return null;
    }

    /// <summary>Without a page size the smallest pages must hold the memory, counting used ones (overcommit allowed).</summary>
    private static bool FitsSmallestPages(HostNumaCell host, long memoryMb)
    {
        if (host.Pages.Count == 0)
        {
            return memoryMb <= host.MemoryMb;
        }

        var memoryKb = (Int128)memoryMb * 1024;
        var smallest = host.Pages.Min(pages => pages.SizeKb);
        var pages = host.Pages.First(p => p.SizeKb == smallest);
        return smallest > 0 && memoryKb <= pages.TotalKb && memoryKb % smallest == 0;
    }
}
