using System.Text.RegularExpressions;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// The Placement resources of a boot (scenario-format SIM-32), as the scheduler derives them from the flavor, its
/// <c>resources[N]:&lt;RC&gt;</c> extra specs and the CPU policy.
/// </summary>
public static partial class ServerResources
{
    /// <summary>Placement's standard resource classes; any other class must be <c>CUSTOM_…</c>.</summary>
    public static IReadOnlySet<string> StandardClasses { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "VCPU", "MEMORY_MB", "DISK_GB", "PCI_DEVICE", "SRIOV_NET_VF", "NUMA_SOCKET", "NUMA_CORE", "NUMA_THREAD",
        "NUMA_MEMORY_MB", "IPV4_ADDRESS", "VGPU", "VGPU_DISPLAY_HEAD", "NET_BW_EGR_KILOBIT_PER_SEC",
        "NET_BW_IGR_KILOBIT_PER_SEC", "PCPU", "MEM_ENCRYPTION_CONTEXT", "FPGA", "PGPU",
        "NET_PACKET_RATE_KILOPACKET_PER_SEC", "NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC",
        "NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC",
    };

    /// <summary>
    /// SIM-32. <paramref name="dedicatedCpus"/> is null unless the effective CPU policy is <c>dedicated</c> or
    /// <c>mixed</c>; then it is the number of dedicated guest CPUs (all of them for <c>dedicated</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, long> Compute(
        FlavorAmounts flavor, IReadOnlyDictionary<string, string> extraSpecs, long? dedicatedCpus,
        bool isolateEmulatorThreads, bool memoryEncryption = false)
    {
        // group suffix (null = the unsuffixed group) → class → amount
        var groups = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        var unsuffixed = new Dictionary<string, long>(StringComparer.Ordinal);

        foreach (var (key, value) in extraSpecs)
        {
            if (ResourceKey().Match(key) is not { Success: true } match
                || !IsKnownClass(match.Groups["class"].Value)
                || !IntegerText.TryParse(value, out var amount) || amount < 0)
            {
                continue; // the scheduler logs and skips what the flavor API would have rejected
            }

            var group = match.Groups["group"].Success
                ? groups.TryGetValue(match.Groups["group"].Value, out var existing) ? existing
                    : groups[match.Groups["group"].Value] = new(StringComparer.Ordinal)
                : unsuffixed;
            group[match.Groups["class"].Value] = amount;
        }

        if (dedicatedCpus is { } pinned)
        {
            if (pinned < flavor.Vcpus)
            {
                unsuffixed[HostCapacity.Vcpu] = flavor.Vcpus - pinned; // mixed: the shared rest
            }

            unsuffixed[HostCapacity.Pcpu] = pinned + (isolateEmulatorThreads ? 1 : 0);
        }

        // Flavor-derived amounts only where the extra specs (even with 0) and the CPU policy said nothing.
        var explicitClasses = groups.Values.Prepend(unsuffixed).SelectMany(g => g.Keys).ToHashSet(StringComparer.Ordinal);
        if (!explicitClasses.Contains(HostCapacity.Vcpu) && !explicitClasses.Contains(HostCapacity.Pcpu))
        {
            unsuffixed[HostCapacity.Vcpu] = flavor.Vcpus;
        }

        if (!explicitClasses.Contains(HostCapacity.MemoryMb))
        {
            unsuffixed[HostCapacity.MemoryMb] = flavor.MemoryMb;
        }

        var disk = flavor.EphemeralGb + (long)Math.Ceiling(flavor.SwapMb / 1024.0) + flavor.RootGb;
        if (!explicitClasses.Contains(HostCapacity.DiskGb) && disk != 0)
        {
            unsuffixed[HostCapacity.DiskGb] = disk;
        }

        if (memoryEncryption)
        {
            unsuffixed["MEM_ENCRYPTION_CONTEXT"] = 1;
        }

        foreach (var label in PmemLabels(extraSpecs))
        {
            unsuffixed[label.Key] = label.Count();
        }

        var merged = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in groups.Values.Prepend(unsuffixed))
        {
            foreach (var (resourceClass, amount) in group)
            {
                merged[resourceClass] = merged.GetValueOrDefault(resourceClass) + amount;
            }
        }

        return merged.Where(r => r.Value != 0).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
    }

    private static bool IsKnownClass(string resourceClass) =>
        resourceClass.StartsWith("CUSTOM_", StringComparison.Ordinal) || StandardClasses.Contains(resourceClass);

    /// <summary><c>hw:pmem</c> labels, one <c>CUSTOM_PMEM_NAMESPACE_&lt;LABEL&gt;</c> unit each.</summary>
    private static IEnumerable<IGrouping<string, string>> PmemLabels(IReadOnlyDictionary<string, string> extraSpecs) =>
        (extraSpecs.GetValueOrDefault("hw:pmem") ?? "").Split(',')
            .Select(label => label.Trim())
            .Where(label => label.Length > 0)
            .Select(label => "CUSTOM_" + NonAlphanumeric().Replace("PMEM_NAMESPACE_" + label, "_").ToUpperInvariant())
            .GroupBy(resourceClass => resourceClass, StringComparer.Ordinal);

    [GeneratedRegex("[^0-9A-Za-z]+")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex("^resources(?<group>[a-zA-Z0-9_-]{1,64})?:(?<class>.*)$", RegexOptions.Singleline)]
    private static partial Regex ResourceKey();
}
