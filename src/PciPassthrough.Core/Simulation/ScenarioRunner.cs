using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// Replays a scenario (scenario-format §3): hosts start, requests run in order, each seeing the state the previous
/// ones left (SIM-10), then the final state is reported. Deterministic: the result depends on the scenario only (SIM-4).
/// </summary>
public sealed class ScenarioRunner
{
    private const string ScenarioNote = "ScenarioNote";

    private readonly Scenario _scenario;
    private readonly NovaRelease _release;
    private readonly AliasOption _aliases;

    /// <summary>Hosts in host order: ascending ordinal name (SIM-11).</summary>
    private readonly List<SimulatedHost> _hosts;

    /// <summary>Server name → index of the host it is placed on.</summary>
    private readonly Dictionary<string, int> _placed = new(StringComparer.Ordinal);

    private ScenarioRunner(Scenario scenario, NovaRelease release)
    {
        _scenario = scenario;
        _release = release;
        _aliases = AliasOption.Parse(scenario.Config.Alias, release);
        _hosts = [.. scenario.Hosts.OrderBy(h => h.Name, StringComparer.Ordinal)
            .Select(host => SimulatedHost.Start(host, scenario.Config, release))];
    }

    /// <exception cref="ScenarioFormatException">A boot names a server that is currently placed (§2.7).</exception>
    public static ScenarioResult Run(Scenario scenario, NovaRelease release = NovaRelease.Zed)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new ScenarioRunner(scenario, release).Run();
    }

    private ScenarioResult Run()
    {
        var hostReports = _hosts.Select(h => h.Report).ToList();
        var steps = _scenario.Requests.Select(step => step switch
        {
            ScenarioBoot boot => (StepResult)Boot(boot),
            ScenarioDelete delete => Delete(delete),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "unknown scenario step"),
        }).ToList();
        return new ScenarioResult(_release, _scenario.Name, AliasReport(), _scenario.Config.ReportInPlacement,
            hostReports, steps, [.. _hosts.Select(h => h.FinalState())]);
    }

    /// <summary>§4.2: the parsed alias set, or the error every boot using an alias meets (SIM-31 stage 5).</summary>
    private AliasReport AliasReport() => _aliases.Set is not { } set
        ? new AliasReport(_aliases.Error, null)
        : new AliasReport(null, [.. set.Aliases.Select(alias => new AliasEntry(
            alias.Name,
            alias.NumaPolicy.ToNovaName(),
            [.. alias.Specs.Select(spec => new JsonObject(spec.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))))]))]);

    private BootResult Boot(ScenarioBoot boot)
    {
        if (_placed.ContainsKey(boot.Name))
        {
            throw new ScenarioFormatException($"requests[{boot.Index}].name", "a name that no placed server has",
                JsonSerializer.Serialize(boot.Name));
        }

        var (api, request) = BootApi.Plan(boot, _aliases, _release);
        if (request is null)
        {
            return new BootResult(boot.Index, boot.Name, BootResult.ApiError, null, api, []);
        }

        var evaluations = new List<HostEvaluation>(_hosts.Count);
        int? chosen = null;
        SimulatedHost? chosenState = null;
        for (var i = 0; i < _hosts.Count; i++)
        {
            var evaluation = _hosts[i].Evaluate(request, out var trial);
            evaluations.Add(evaluation);
            // SIM-40: the first fitting host in host order, restricted to the requested host if any.
            if (chosen is null && evaluation.Fits && (boot.RequestedHost is null || boot.RequestedHost == _hosts[i].Name))
            {
                (chosen, chosenState) = (i, trial);
            }
        }

        if (chosen is not { } index)
        {
            return new BootResult(boot.Index, boot.Name, BootResult.NoValidHost, null, api, evaluations);
        }

        _hosts[index] = chosenState!; // SIM-41
        _placed[boot.Name] = index;
        return new BootResult(boot.Index, boot.Name, BootResult.Placed, _hosts[index].Name, api, evaluations);
    }

    private DeleteResult Delete(ScenarioDelete delete)
    {
        if (delete.Name is not { } name || !_placed.Remove(name, out var index))
        {
            return new DeleteResult(delete.Index, delete.RawName, null, [], new PciError(ScenarioNote,
                $"server {delete.RawName.GetRawText()} is not placed, so there is nothing to delete", NovaException: false));
        }

        return new DeleteResult(delete.Index, delete.RawName, _hosts[index].Name, _hosts[index].Delete(name), null);
    }
}
