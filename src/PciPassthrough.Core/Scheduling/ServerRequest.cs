using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Scheduling;

/// <summary>One server to place, as the API hands it to the scheduler (scenario-format SIM-31, 05 §3).</summary>
public sealed record ServerRequest
{
    public required string Name { get; init; }

    private readonly IReadOnlyDictionary<string, long> _resources = System.Collections.ObjectModel.ReadOnlyDictionary<string, long>.Empty;

    /// <summary>Placement resources (SIM-32).</summary>
    public required IReadOnlyDictionary<string, long> Resources
    {
        get => _resources;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            (_resources, ResourceAmounts) = (value, [.. value]);
        }
    }

    /// <summary>The <see cref="Resources"/> as an array: the capacity check per host walks it without an enumerator.</summary>
    internal KeyValuePair<string, long>[] ResourceAmounts { get; private init; } = [];

    /// <summary>Traits the compute node (Placement's root provider) must have, e.g. 05 NF-17's.</summary>
    public IReadOnlySet<string> RequiredTraits { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Flavor requests first, then ports.</summary>
    public IReadOnlyList<PciRequest> PciRequests { get; init; } = [];

    /// <summary>The guest NUMA topology; null when the guest has none (05 NF-1).</summary>
    public GuestNumaTopology? NumaTopology { get; init; }

    /// <summary>The ports' networks, for NUMA affinity (SIM-37); null without ports.</summary>
    public NetworkMetadata? Network { get; init; }

    /// <summary>
    /// The CPU policies as flavor (<c>hw:cpu_policy</c>, <c>hw:cpu_thread_policy</c>) and image
    /// (<c>hw_cpu_policy</c>, <c>hw_cpu_thread_policy</c>) spell them: the filter's SMT test reads them raw.
    /// </summary>
    public CpuPolicyWords CpuPolicies { get; init; } = new(null, null, null, null);
}
