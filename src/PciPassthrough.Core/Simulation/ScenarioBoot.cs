using System.Text.Json;

namespace PciPassthrough.Core.Simulation;

/// <summary>A server boot (scenario-format §2.5).</summary>
public sealed record ScenarioBoot : ScenarioStep
{
    public required string Name { get; init; }
    public required ScenarioFlavor Flavor { get; init; }

    /// <summary>Image properties as written; they are typed by the API stage <c>image</c> (SIM-31).</summary>
    public IReadOnlyDictionary<string, JsonElement> ImageProperties { get; init; } = new Dictionary<string, JsonElement>();

    public IReadOnlyList<ScenarioPort> Ports { get; init; } = [];

    /// <summary>Only this host may be chosen (SIM-40); null when absent or not a string.</summary>
    public string? RequestedHost { get; init; }
}
