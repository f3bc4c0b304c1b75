using System.Numerics;
using PciPassthrough.Core.Pools;

namespace PciPassthrough.Core.Requests;

/// <summary>
/// One PCI request of a server (03 RQ-1): <see cref="Count"/> devices, each satisfying ANY of the alternative
/// property maps in <see cref="Specs"/>. Spec values are strings or null.
/// </summary>
public sealed record PciRequest
{
    /// <summary>As the flavor wrote it: the reference's integers have no bound, and Zed accepts 0 and negative counts
    /// (scenario-format §7 item 10).</summary>
    public required BigInteger Count { get; init; }

    /// <summary>Alternative property maps (OR); values are strings or null, keys those of 03 RQ-3 (<c>vendor_id</c>,
    /// <c>dev_type</c>, <c>physical_network</c>, …).</summary>
    public required IReadOnlyList<IReadOnlyDictionary<string, string?>> Specs { get; init; }

    /// <summary>The alias name for a flavor request; null for a port request.</summary>
    public string? AliasName { get; init; }

    /// <summary>The port for a port request; null for an alias request.</summary>
    public string? RequesterId { get; init; }

    /// <summary>The policy in force for this request, or null when none was set (behaves as legacy, 03 RQ-22).</summary>
    public PciNumaPolicy? NumaPolicy { get; init; }

    /// <summary>Identifies the request; devices taken for it carry it. Deterministic in simulations.</summary>
    public required string RequestId { get; init; }

    /// <summary>03 RQ-2: the source is the port when there is no alias name.</summary>
    public bool IsFromPort => AliasName is null;

    /// <summary>
    /// 06 PM-27: once the host is chosen, an alias request's first spec map records the providers Placement gave its
    /// groups (<c>rp_uuids</c>, comma-joined in mapping order), so the compute consumes from exactly those (04 PL-20).
    /// Port requests are returned unchanged.
    /// </summary>
    public PciRequest WithChosenProviders(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> mapping)
    {
        var providers = PoolFilter.RpUuidsOf(this, mapping);
        if (IsFromPort || providers.Count == 0)
        {
            return this;
        }

        var first = new Dictionary<string, string?>(Specs[0]) { [PoolFilter.RpUuidsKey] = string.Join(',', providers) };
        return this with { Specs = [first, .. Specs.Skip(1)] };
    }
}
