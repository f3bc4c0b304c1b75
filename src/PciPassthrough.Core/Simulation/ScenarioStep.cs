namespace PciPassthrough.Core.Simulation;

/// <summary>One item of a scenario's <c>requests</c>: a <see cref="ScenarioBoot"/> or a <see cref="ScenarioDelete"/>.</summary>
public abstract record ScenarioStep
{
    /// <summary>Position in <c>requests</c>, deletes included.</summary>
    public required int Index { get; init; }
}
