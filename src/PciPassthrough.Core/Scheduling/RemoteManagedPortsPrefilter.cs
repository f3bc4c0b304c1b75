using PciPassthrough.Core.Pools;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// 05 NF-17, Nova's <c>remote_managed_ports_filter</c>: a server with a <c>remote-managed</c> port needs the trait
/// <see cref="Trait"/> on the compute node, which a compute reports when its driver supports such ports and one of its
/// pools holds remote-managed devices. Zed's <c>simulate</c> does not apply it (scenario-format §6): the release decides
/// here, when the request is built, and the Placement check reads only the traits.
/// </summary>
public static class RemoteManagedPortsPrefilter
{
    public const string Trait = "COMPUTE_REMOTE_MANAGED_PORTS";

    private static readonly PciRequest _remoteManagedPool = new()
    {
        Count = 0,
        RequestId = "remote-managed-pools",
        Specs = [new Dictionary<string, string?> { [PoolKeys.RemoteManaged] = "True" }],
    };

    /// <summary>The traits the prefilter requires of the compute node for a server with <paramref name="ports"/>.</summary>
    public static IReadOnlySet<string> RequiredTraits(IEnumerable<RequestedPort> ports, NovaRelease release)
    {
        ArgumentNullException.ThrowIfNull(ports);
        return release == NovaRelease.Latest && ports.Any(port => port.VnicType == VnicType.RemoteManaged)
            ? new HashSet<string>([Trait], StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether the compute reports <see cref="Trait"/>: the driver supports remote-managed ports (libvirt ≥ 7.9) and a
    /// pool matches <c>{remote_managed: "True"}</c>, whatever its count.
    /// </summary>
    public static bool ReportsTrait(bool driverSupportsRemoteManagedPorts, IEnumerable<IPoolEntry> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        return driverSupportsRemoteManagedPorts && pools.Any(pool => PoolFilter.MatchesAny(pool.Keys, _remoteManagedPool));
    }
}
