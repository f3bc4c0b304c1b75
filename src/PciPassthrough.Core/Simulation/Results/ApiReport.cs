using System.Numerics;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Simulation.Results;

/// <summary>
/// What the API made of a boot (SIM-30…SIM-32). After a failure every field after <see cref="ExtraSpecErrors"/>
/// keeps its empty value.
/// </summary>
public sealed record ApiReport
{
    public PciError? Error { get; init; }
    public string? ErrorStage { get; init; }
    public bool Ok => Error is null;
    public IReadOnlyList<ExtraSpecError> ExtraSpecErrors { get; init; } = [];
    public GuestTopologyReport? NumaTopology { get; init; }
    public string? PciNumaAffinityPolicy { get; init; }
    public IReadOnlyList<PciRequestReport> PciRequests { get; init; } = [];
    public IReadOnlyDictionary<string, BigInteger>? Resources { get; init; }
    public NetworkMetadataReport? NetworkMetadata { get; init; }
}
