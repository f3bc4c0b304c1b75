using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// The readable side of <c>pcictl simulate --explain</c> (SIM-1): one block per request, one row per host with its
/// verdict and the reasons it was rejected. Reads the result only; it never changes the JSON.
/// </summary>
internal static class SimulateExplainTable
{
    public static void Write(TextWriter output, ScenarioResult result)
    {
        output.WriteLine($"scenario {result.Scenario}");
        foreach (var host in result.Hosts.Where(h => !h.Ok))
        {
            output.WriteLine($"  host {host.Name} did not start (stage {host.ErrorStage}): {Describe(host.Error)}");
        }

        foreach (var step in result.Requests)
        {
            switch (step)
            {
                case BootResult boot:
                    WriteBoot(output, boot);
                    break;
                case DeleteResult delete:
                    output.WriteLine(delete.Error is null
                        ? $"#{delete.Index} delete {delete.Name} on {delete.Host}: {delete.ChangedDevices.Count} device(s) freed"
                        : $"#{delete.Index} delete {delete.Name}: {delete.Error.Message}");
                    break;
            }
        }
    }

    private static void WriteBoot(TextWriter output, BootResult boot)
    {
        var outcome = boot.Result switch
        {
            BootResult.Placed => $"placed on {boot.ChosenHost}",
            BootResult.ApiError => $"refused by the API (stage {boot.Api.ErrorStage}): {Describe(boot.Api.Error)}",
            _ => "no valid host",
        };
        output.WriteLine($"#{boot.Index} boot {boot.Name}: {outcome}");
        foreach (var rejected in boot.Api.ExtraSpecErrors)
        {
            output.WriteLine($"    flavor extra spec {rejected.Key} would be refused by the flavor API: {rejected.Error.Message}");
        }

        if (boot.Hosts.Count == 0)
        {
            return;
        }

        var width = boot.Hosts.Max(h => h.Host.Length);
        foreach (var host in boot.Hosts)
        {
            var verdict = host.Host == boot.ChosenHost ? "chosen"
                : host.Fits ? "fits (not chosen)"
                : $"rejected by {host.RejectedBy}";
            var reasons = host.Rejections.Select(r => r.RequestIndex is { } i ? $"request {i}: {r.Reason}" : r.Reason).ToList();
            output.WriteLine($"    {host.Host.PadRight(width)}  {verdict}{(reasons.Count > 0 ? ": " + reasons[0] : "")}");
            foreach (var reason in reasons.Skip(1))
            {
                output.WriteLine($"    {new string(' ', width)}  {new string(' ', verdict.Length)}  {reason}");
            }
        }
    }

    private static string Describe(PciError? error) => error is null ? "" : $"{error.Kind}: {error.Message}";
}
