namespace PciPassthrough.Core.Simulation;

/// <summary>A <c>pcictl simulate</c> scenario (scenario-format §2), read and validated by <see cref="ScenarioReader"/>.</summary>
public sealed record Scenario
{
    public string Name { get; init; } = "scenario";
    public ScenarioConfig Config { get; init; } = new();
    public IReadOnlyList<ScenarioHost> Hosts { get; init; } = [];
    public IReadOnlyList<ScenarioStep> Requests { get; init; } = [];
}
