namespace PciPassthrough.Core.Numa;

/// <summary>
/// Chooses the host CPUs of a pinned guest cell (SIM-39, Nova's <c>_pack_instance_onto_cores</c>): sibling sets
/// are filled evenly, fullest possible thread count first, following the thread policy; an isolated emulator
/// thread takes one more free CPU.
/// </summary>
internal static class CpuPinner
{
    /// <summary>The pinning found on a host cell: host CPUs in the order of the guest's dedicated CPUs.</summary>
    public sealed record Result(int[] HostCpus, int[]? Reserved);

    /// <returns>The pinning, or null when the cell cannot be packed onto <paramref name="host"/>.</returns>
    public static Result? Pin(HostNumaCell host, int guestCpuCount, CpuThreadPolicy? policy, int reservedCount)
    {
        var pinned = host.PinnedCpus.ToHashSet();
        List<int[]> freeSets = [.. (host.SetOrder?.FreeSiblings(host.PinnedCpus) ?? host.Siblings
            .Select(set => set.Where(cpu => !pinned.Contains(cpu) && host.Pcpus.Contains(cpu)).ToArray()))
            .Where(set => set.Length > 0)];
        var threadsPerCore = host.Siblings.Count == 0 ? 1 : Math.Max(1, host.Siblings.Max(set => set.Count));
        var mostFree = freeSets.Count == 0 ? 0 : freeSets.Max(set => set.Length);

        if (policy == CpuThreadPolicy.Isolate)
        {
            // Only the legacy layout (shared list = dedicated list) supports isolate on SMT hosts (Nova bug 1889633).
            if (mostFree < threadsPerCore || (threadsPerCore != 1 && !host.Pcpus.SequenceEqual(host.Cpus)))
            {
                return null;
            }

            var cpus = Take(1, [.. freeSets.Where(set => set.Length >= threadsPerCore)], guestCpuCount);
            return Complete(cpus, Reserve(freeSets, cpus, reservedCount, wholeSets: true), reservedCount);
        }

        if (policy == CpuThreadPolicy.Require && threadsPerCore <= 1)
        {
            return null;
        }

        int[]? hostCpus = null;
        int[]? reserved = null;
        for (var threads = mostFree; threads >= 1; threads--)
        {
            if (policy == CpuThreadPolicy.Require && threads <= 1)
            {
                continue;
            }

            hostCpus = Take(threads, [.. freeSets.Where(set => set.Length >= threads)], guestCpuCount);
            reserved = Reserve(freeSets, hostCpus, reservedCount, wholeSets: false);
            if (Complete(hostCpus, reserved, reservedCount) is { } found)
            {
                return found;
            }
        }

        if (policy != CpuThreadPolicy.Require && hostCpus is not { Length: > 0 })
        {
            // Siblings did not work out: every free CPU on its own.
            List<int[]> singles = [.. freeSets.SelectMany(set => set).Select(cpu => new[] { cpu })];
            hostCpus = Take(1, singles, guestCpuCount);
            reserved = Reserve(singles, hostCpus, reservedCount, wholeSets: false);
        }

        return Complete(hostCpus, reserved, reservedCount);
    }

    /// <summary>The first <paramref name="threads"/> CPUs of each set, concatenated, cut to the guest's count.</summary>
    private static int[]? Take(int threads, List<int[]> sets, int guestCpuCount) =>
        (long)threads * sets.Count < guestCpuCount
            ? null
            : [.. sets.SelectMany(set => set.Take(threads)).Take(guestCpuCount)];

    /// <summary>
    /// The first free CPUs the guest does not use (with <paramref name="wholeSets"/>: outside the sibling sets it
    /// uses), or null when none are needed or none are left.
    /// </summary>
    private static int[]? Reserve(List<int[]> freeSets, int[]? hostCpus, int count, bool wholeSets)
    {
        if (hostCpus is not { Length: > 0 } || count == 0)
        {
            return null;
        }

        var used = hostCpus.ToHashSet();
        var left = wholeSets
            ? freeSets.Where(set => !set.Any(used.Contains)).SelectMany(set => set)
            : freeSets.SelectMany(set => set).Where(cpu => !used.Contains(cpu));
        int[] reserved = [.. left.Take(count)];
        return reserved.Length > 0 ? reserved : null;
    }

    private static Result? Complete(int[]? hostCpus, int[]? reserved, int reservedCount) =>
        hostCpus is not { Length: > 0 } || (reservedCount > 0 && reserved is null) ? null : new Result(hostCpus, reserved);
}
