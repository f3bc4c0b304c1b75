using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A host right after start-up (§4.3, SIM-20).</summary>
public sealed record HostReport
{
    public required string Name { get; init; }
    public PciError? Error { get; init; }

    /// <summary><c>device_spec</c>, <c>devices</c>, <c>pools</c> or <c>placement</c>; null when start-up succeeded.</summary>
    public string? ErrorStage { get; init; }

    public bool Ok => Error is null;
    public required IReadOnlyList<string> DeviceSpecRaw { get; init; }

    /// <summary>Null when stage <c>device_spec</c> failed.</summary>
    public IReadOnlyList<SpecReport>? Specs { get; init; }

    public IReadOnlyList<TrackedDeviceReport> TrackedDevices { get; init; } = [];
    public IReadOnlyList<IgnoredDeviceReport> IgnoredDevices { get; init; } = [];
    public IReadOnlyList<PoolReport> Pools { get; init; } = [];
    public required IReadOnlyList<HostCellReport> NumaCells { get; init; }
    public required IReadOnlyList<ResourceInventory> PlacementInventory { get; init; }
    public PlacementReport? Placement { get; init; }
}
