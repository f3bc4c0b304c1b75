namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A boot (§4.4): the API outcome, every host's evaluation in host order, and the choice (SIM-40).</summary>
public sealed record BootResult(
    int Index,
    string Name,
    string Result,
    string? ChosenHost,
    ApiReport Api,
    IReadOnlyList<HostEvaluation> Hosts) : StepResult(Index)
{
    public const string Placed = "placed", NoValidHost = "no_valid_host", ApiError = "api_error";
}
