using System.Numerics;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>
/// A host after the last request (§4.5, SIM-44). <see cref="Devices"/>, <see cref="Pools"/> and the Placement view
/// only exist for hosts that started.
/// </summary>
public sealed record FinalHostState
{
    public required string Name { get; init; }
    public required bool Ok { get; init; }
    public required IReadOnlyList<HostCellReport> NumaCells { get; init; }
    public required IReadOnlyDictionary<string, BigInteger> PlacementUsage { get; init; }
    public required IReadOnlyList<string> Instances { get; init; }
    public IReadOnlyList<TrackedDeviceReport>? Devices { get; init; }
    public IReadOnlyList<PoolReport>? Pools { get; init; }
    public PlacementReport? Placement { get; init; }
}
