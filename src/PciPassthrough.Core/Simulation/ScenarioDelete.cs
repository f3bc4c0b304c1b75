using System.Text.Json;

namespace PciPassthrough.Core.Simulation;

/// <summary><c>{"delete": N}</c> (SIM-42, SIM-43).</summary>
public sealed record ScenarioDelete : ScenarioStep
{
    /// <summary>The server name, or null when the value is not a string (it can then name no placed server).</summary>
    public string? Name { get; init; }

    /// <summary>The value as written, echoed in the result's <c>name</c>.</summary>
    public required JsonElement RawName { get; init; }
}
