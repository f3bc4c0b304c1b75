using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Requests;

/// <summary>A port a server asks for, as the network service describes it (03 §5).</summary>
public sealed record RequestedPort
{
    /// <summary>The port's id; becomes the request's <see cref="PciRequest.RequesterId"/>.</summary>
    public required string Id { get; init; }

    public VnicType VnicType { get; init; } = VnicType.Normal;

    /// <summary>
    /// The physnet of the port's network (for several segments: the first segment that has one, 03 RQ-26); null for
    /// an overlay (tunnelled) network.
    /// </summary>
    public string? PhysicalNetwork { get; init; }

    /// <summary>The binding profile's <c>trusted</c> as written; null when absent (a JSON null is absent too).</summary>
    public JsonNode? Trusted { get; init; }

    /// <summary>The port's own <c>numa_affinity_policy</c>; it wins over the flavor/image policy (03 RQ-21).</summary>
    public string? NumaAffinityPolicy { get; init; }
}
