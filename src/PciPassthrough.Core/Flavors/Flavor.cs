namespace PciPassthrough.Core.Flavors;

/// <summary>
/// A flavor as the compute API sees it. Extra spec values are always text (a scenario's JSON value is turned
/// into its JSON text first, scenario-format §2.5); nothing here is validated — that is <see cref="ExtraSpecValidator"/>'s
/// job for the flavor API, and the API stages' for a boot.
/// </summary>
public sealed record Flavor
{
    public string Name { get; init; } = "flavor";
    public required long Vcpus { get; init; }
    public required long MemoryMb { get; init; }
    public long RootGb { get; init; }
    public long EphemeralGb { get; init; }

    /// <summary>Swap in MiB.</summary>
    public long Swap { get; init; }

    public IReadOnlyDictionary<string, string> ExtraSpecs { get; init; } = new Dictionary<string, string>();

    public string? ExtraSpec(string key) => ExtraSpecs.TryGetValue(key, out var value) ? value : null;
}
