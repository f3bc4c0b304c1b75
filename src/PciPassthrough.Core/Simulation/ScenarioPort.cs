using System.Text.Json;

namespace PciPassthrough.Core.Simulation;

/// <summary>A Neutron port of a boot (scenario-format §2.5.1).</summary>
public sealed record ScenarioPort
{
    public required string Name { get; init; }
    public string VnicType { get; init; } = "normal";
    /// <summary>The network's physnet as written (any JSON value); null when absent or null.</summary>
    public JsonElement? PhysicalNetwork { get; init; }

    /// <summary><c>vlan</c> with a physnet, else <c>vxlan</c>, unless given.</summary>
    public required string NetworkType { get; init; }

    /// <summary>The binding profile's <c>trusted</c> as written; null when absent.</summary>
    public JsonElement? Trusted { get; init; }

    public string? NumaAffinityPolicy { get; init; }
}
