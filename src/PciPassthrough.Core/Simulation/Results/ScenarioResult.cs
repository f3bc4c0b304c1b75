namespace PciPassthrough.Core.Simulation.Results;

/// <summary>
/// The result of one scenario (scenario-format §4); hosts and final state in host order (SIM-11). The free-form
/// <c>engine</c> object names <see cref="Release"/>, the rules the engine followed.
/// </summary>
public sealed record ScenarioResult(
    NovaRelease Release,
    string Scenario,
    AliasReport Alias,
    bool ReportInPlacement,
    IReadOnlyList<HostReport> Hosts,
    IReadOnlyList<StepResult> Requests,
    IReadOnlyList<FinalHostState> FinalState);
