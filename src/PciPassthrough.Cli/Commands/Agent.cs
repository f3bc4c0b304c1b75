using System.Net;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Host.Agent;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;
using PciPassthrough.Host.Placement;
using PciPassthrough.Host.Topology;

namespace PciPassthrough.Cli.Commands;

/// <summary>One compute's agent loop (<c>pcictl agent</c>, and each host of <c>serve --demo</c>): every round reads
/// the host afresh, refuses what a Nova compute would refuse, describes the host to the controller, keeps the trust of
/// its servers' VFs as the controller lists them (07 LV-10) and, with <c>report_in_placement</c>, reports its PCI
/// providers to Placement. <c>hostCommands</c> runs <c>virsh</c> and <c>ip</c> on this host; it is null when the agent
/// describes a tree that is not this host (<c>--root</c> elsewhere, the demo's fixture hosts): libvirt is then not asked
/// (the controller assumes its default hypervisor) and VF trust commands are printed, not run.</summary>
internal sealed class Agent(Uri controller, string root, string configPath, string? hostName, string token, TextWriter output, TextWriter error,
    ICommandRunner? hostCommands)
{
    private readonly VfTrustApplier _vfTrust = new(root, hostCommands);
    private HypervisorCapabilities? _hypervisor;
    private bool _probed;

    /// <summary>Rounds until cancelled (or one with <paramref name="once"/>, whose exit code it returns): a refused
    /// configuration stops at once with <see cref="ExitCodes.Usage"/>, before anything is written; without
    /// <paramref name="once"/> a round the controller refused or did not answer is retried at the next interval.</summary>
    public async Task<int> RunAsync(bool once, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var client = new ControllerClient(controller, token);
        using var placement = new HttpClient { BaseAddress = new Uri(controller, "placement/") };
        placement.DefaultRequestHeaders.Add("x-auth-token", token);
        var reporter = new PlacementReporter(placement);
        while (true)
        {
            var exitCode = await RoundAsync(client, reporter, cancellationToken);
            if (once || exitCode == ExitCodes.Usage)
            {
                return exitCode;
            }

            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Ok;
            }
        }
    }

    /// <summary>One round; its exit code says who stopped it: <see cref="ExitCodes.Usage"/> the configuration,
    /// <see cref="ExitCodes.Invalid"/> the controller or its Placement API refusing (4xx), <see cref="ExitCodes.Unreachable"/>
    /// no answer or a failing server (5xx), as for the client verbs.</summary>
    private async Task<int> RoundAsync(ControllerClient client, PlacementReporter reporter, CancellationToken cancellationToken)
    {
        if (HostConfig.Load(root, configPath, error, hostName) is not ({ } inventory, { } conf))
        {
            return ExitCodes.Usage;
        }

        if (Refusals(inventory, conf) is { Count: > 0 } refusals)
        {
            foreach (var refusal in refusals)
            {
                await error.WriteLineAsync($"pcictl agent: {refusal}");
            }

            await error.WriteLineAsync("pcictl agent: refusing to start, as a Nova compute would; fix the configuration and start again.");
            return ExitCodes.Usage;
        }

        var name = hostName ?? HostInventory.HostName(root);
        await ProbeOnceAsync(cancellationToken);
        try
        {
            var (view, refused) = await DescribeAsync(client, name, inventory, conf, cancellationToken);
            if (view is null)
            {
                return refused;
            }

            await ApplyVfTrustAsync(name, view, cancellationToken);

            if (conf.ReportInPlacement.Value)
            {
                await ReportPlacementAsync(reporter, name, inventory, cancellationToken);
            }

            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is ControllerUnreachableException or HttpRequestException or PlacementReportException
            or Core.Errors.PciException)
        {
            await error.WriteLineAsync($"pcictl agent: reporting to {controller} failed: {e.Message}");
            return e is PlacementReportException { Status: < HttpStatusCode.InternalServerError } or Core.Errors.PciException
                ? ExitCodes.Invalid
                : ExitCodes.Unreachable;
        }
    }

    /// <summary>07 LV-18: asks libvirt once per agent what it can run; a host that does not answer is described
    /// without it (and the controller assumes its default hypervisor).</summary>
    private async Task ProbeOnceAsync(CancellationToken cancellationToken)
    {
        if (_probed || hostCommands is null)
        {
            return;
        }

        _probed = true;
        (_hypervisor, var problem) = await LibvirtProbe.ReadAsync(hostCommands, cancellationToken);
        if (problem is not null)
        {
            await error.WriteLineAsync($"pcictl agent: warning: libvirt did not say what it can run, so no vIOMMU traits are " +
                $"derived from it: {problem}");
        }
    }

    /// <summary><c>PUT /v1/hosts/{name}</c> with the host description; the controller's view of the host, or null
    /// (after saying why) with the exit code of the refusal.</summary>
    private async Task<(JsonNode? View, int Refused)> DescribeAsync(
        ControllerClient client, string name, HostInventory inventory, NovaConfOptions conf, CancellationToken cancellationToken)
    {
        var cells = new NumaTopologyReader(root).Read();
        var description = HostDescription.Build(name, cells, inventory.Discovery.Records, conf, _hypervisor);
        var response = await client.SendAsync(HttpMethod.Put, $"v1/hosts/{Uri.EscapeDataString(name)}", description, cancellationToken);
        if (!response.IsSuccess)
        {
            var failed = response.Status >= HttpStatusCode.InternalServerError;
            await error.WriteLineAsync(
                $"pcictl agent: the controller at {controller} {(failed ? "failed on" : "refused")} host {name}: {response.ErrorMessage}");
            return (null, failed ? ExitCodes.Unreachable : ExitCodes.Invalid);
        }

        var view = response.Json;
        var state = view.Field("error").AsText() is { } hostError ? $"not started: {hostError}"
            : view.Field("started").AsBool() == false ? "not started" : "started";
        await output.WriteLineAsync(
            $"pcictl agent: {name}: described to {controller}: {cells.Count} NUMA cell(s), " +
            $"{inventory.Discovery.Functions.Count} PCI function(s); {state}");
        return (view ?? new JsonObject(), ExitCodes.Ok);
    }

    /// <summary>07 LV-10: the VFs the controller lists under <c>vf_trust</c> get their trust on; each command is printed.</summary>
    private async Task ApplyVfTrustAsync(string name, JsonNode view, CancellationToken cancellationToken)
    {
        // an entry without its three strings names no VF to trust
        var listed = (view.Field("vf_trust") as JsonArray ?? [])
            .Select(item => (Server: item.Field("server").AsText(), Port: item.Field("port").AsText(), Address: item.Field("address").AsText()))
            .Where(item => item is { Server: not null, Port: not null, Address: not null })
            .Select(item => new VfTrustSetting(item.Server!, item.Port!, item.Address!)).ToList();
        foreach (var line in await _vfTrust.ApplyAsync(listed, cancellationToken))
        {
            await output.WriteLineAsync($"pcictl agent: {name}: {line}");
        }
    }

    private async Task ReportPlacementAsync(
        PlacementReporter reporter, string name, HostInventory inventory, CancellationToken cancellationToken)
    {
        var report = await reporter.ReportAsync(name, inventory.Placement!.View, inventory.Tracker!.Pools, [], _hypervisor, cancellationToken);
        var plan = report.Plan;
        await output.WriteLineAsync(
            $"pcictl agent: {name} (compute node {report.ComputeNodeUuid}): {plan.Providers.Count} PCI provider(s), " +
            $"{plan.Providers.Sum(p => p.Devices.Count)} device(s), {plan.DeletedProviders.Count} deleted" +
            (plan.AllocationsChanged ? ", allocations healed" : "") + (report.Rounds > 1 ? $", {report.Rounds} rounds" : ""));
        foreach (var warning in plan.Warnings.Concat(inventory.SyncWarnings))
        {
            await output.WriteLineAsync($"pcictl agent: warning: {warning}");
        }
    }

    /// <summary>What stops a compute from starting (01 §9, 06 PM-1/2/13/14), each with where it comes from.</summary>
    private List<string> Refusals(HostInventory inventory, NovaConfOptions conf)
    {
        var refusals = new List<string>();
        refusals.AddRange(conf.Errors.Select(e => $"{e.Location}: {e.Error.Kind}: {e.Error.Message}"));
        refusals.AddRange(inventory.ConfigErrors.Select(e => $"{e.Location}: {e.Error.Kind}: {e.Error.Message}"));
        if (inventory.PlacementError is { } placement)
        {
            refusals.Add($"{configPath}: {placement.Kind}: {placement.Message}");
        }

        return refusals;
    }
}
