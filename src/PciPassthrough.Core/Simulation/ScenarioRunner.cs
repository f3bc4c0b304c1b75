using System.Text.Json;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// Replays a scenario (scenario-format §3): hosts start, requests run in order, each seeing the state the previous
/// ones left (SIM-10), then the final state is reported. Deterministic: the result depends on the scenario only (SIM-4).
/// What Nova would refuse as content (an invalid device_spec or alias, an unknown alias, a boot that fits nowhere) is
/// reported in the result by the host start-up and the boot stages, never thrown (SIM-3).
/// </summary>
public sealed class ScenarioRunner
{
    private const string ScenarioNote = "ScenarioNote";

    private readonly Scenario _scenario;
    private readonly Fleet _fleet;

    private ScenarioRunner(Scenario scenario, NovaRelease release)
    {
        _scenario = scenario;
        _fleet = new Fleet(scenario.Config, release);
    }

    /// <exception cref="ScenarioFormatException">A boot names a server that is currently placed (§2.7).</exception>
    public static ScenarioResult Run(Scenario scenario, NovaRelease release = NovaRelease.Zed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new ScenarioRunner(scenario, release).Run(release);
    }

    private ScenarioResult Run(NovaRelease release)
    {
        var hostReports = _scenario.Hosts.OrderBy(h => h.Name, CodePointComparer.Instance)
            .Select(host => _fleet.UpsertHost(host).Report).ToList();
        var steps = _scenario.Requests.Select(step => step switch
        {
            ScenarioBoot boot => (StepResult)Boot(boot),
            ScenarioDelete delete => Delete(delete),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "unknown scenario step"),
        }).ToList();
        return new ScenarioResult(release, _scenario.Name, _fleet.AliasReport(), _scenario.Config.ReportInPlacement,
            hostReports, steps, [.. _fleet.HostNames.Select(name => _fleet.HostState(name)!)]);
    }

    private BootResult Boot(ScenarioBoot boot) => _fleet.Server(boot.Name) is null ? _fleet.Boot(boot)
        : throw new ScenarioFormatException($"requests[{boot.Index}].name", "a name that no placed server has",
            JsonSerializer.Serialize(boot.Name));

    private DeleteResult Delete(ScenarioDelete delete) => delete.Name is { } name && _fleet.Server(name) is not null
        ? _fleet.Delete(name, delete.Index) with { Name = delete.RawName }
        : new DeleteResult(delete.Index, delete.RawName, null, [], new PciError(ScenarioNote,
            $"server {delete.RawName.GetRawText()} is not placed, so there is nothing to delete", NovaException: false));
}
