namespace PciPassthrough.Core.Capacity;

/// <summary>The answer of <see cref="CapacityPlanner.Plan"/>.</summary>
/// <param name="Fits">How many more servers of the flavor fit (at most the count asked for).</param>
/// <param name="Asked">The count asked for; null = as many as fit.</param>
/// <param name="PerHost">Every host with how many of them it takes, in host order.</param>
/// <param name="ApiError">Why no server of this flavor can boot at all (flavor, image or alias error), or null.</param>
/// <param name="Blockers">Why the next one fits nowhere, one entry per host; empty when the count was reached.</param>
public sealed record CapacityReport(
    int Fits,
    int? Asked,
    IReadOnlyDictionary<string, int> PerHost,
    string? ApiError,
    IReadOnlyList<HostBlocker> Blockers);

/// <summary>What stops one more server on a host.</summary>
/// <param name="Host">The host.</param>
/// <param name="Kind">The first check that refused it.</param>
/// <param name="Reasons">Every reason the scheduler gave, as text.</param>
public sealed record HostBlocker(string Host, BlockerKind Kind, IReadOnlyList<string> Reasons);

/// <summary>The kind of limit a host hits, after the check that refused it.</summary>
public enum BlockerKind
{
    /// <summary>Placement's capacity check: VCPU, PCPU, MEMORY_MB, DISK_GB, or a required trait.</summary>
    Resources,

    /// <summary>PCI devices: none left that match, or the compute's claim could not take them.</summary>
    Devices,

    /// <summary>NUMA: no host cell (or set of cells) fits the guest with its devices under the affinity policy.</summary>
    Numa,

    /// <summary>The compute did not start (e.g. a bad <c>device_spec</c>).</summary>
    HostUnavailable,
}
