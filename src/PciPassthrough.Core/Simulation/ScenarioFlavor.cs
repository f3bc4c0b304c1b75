namespace PciPassthrough.Core.Simulation;

/// <summary>A flavor; extra spec values are text already (scenario-format §2.5).</summary>
public sealed record ScenarioFlavor
{
    public required long Vcpus { get; init; }
    public required long MemoryMb { get; init; }
    public long RootGb { get; init; }
    public long EphemeralGb { get; init; }

    /// <summary>Swap in MiB.</summary>
    public long Swap { get; init; }

    public IReadOnlyDictionary<string, string> ExtraSpecs { get; init; } = new Dictionary<string, string>();
}
