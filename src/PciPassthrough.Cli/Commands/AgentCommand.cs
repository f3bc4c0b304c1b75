using System.CommandLine;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.Placement;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// <c>pcictl agent</c>: the compute side. Every round re-discovers the host, applies <c>nova.conf</c> as a compute
/// start does, and reports the PCI provider tree to the controller's Placement API (06 PM-16…PM-22). Stateless:
/// each round starts from sysfs and from what Placement holds.
/// </summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var controller = new Option<Uri>("--controller")
        {
            Description = "The controller's base URL (what 'pcictl serve' printed), e.g. http://127.0.0.1:8780",
            Required = true,
            HelpName = "URL",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) &&
                    url.Scheme is "http" or "https")
                {
                    return url;
                }

                result.AddError($"--controller '{text}' is not an http(s) URL; expected e.g. http://127.0.0.1:8780");
                return null;
            },
        };
        var root = HostOptions.Root();
        var config = new Option<string>("--config")
        {
            Description = "The compute's nova.conf: [pci] device_spec says which devices are reported; "
                + "[pci] report_in_placement must be true.",
            Required = true,
            HelpName = "FILE",
        };
        var host = new Option<string?>("--host")
        {
            Description = "The hypervisor hostname naming the compute node provider (default: this host's name under --root).",
            HelpName = "NAME",
        };
        var interval = new Option<int>("--interval")
        {
            Description = "Seconds between rounds (Nova's update_resources_interval).",
            DefaultValueFactory = _ => 60,
            HelpName = "SECONDS",
        };
        interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--interval must be at least 1 second.");
            }
        });
        var once = new Option<bool>("--once") { Description = "Run one round and exit (for cron jobs and checks)." };
        var authToken = new Option<string>("--auth-token")
        {
            Description = "The x-auth-token the controller expects ('serve --auth-token'); 'admin' fits a loopback controller without one.",
            DefaultValueFactory = _ => "admin",
            HelpName = "TOKEN",
        };
        var command = new Command("agent", """
            Runs on a compute host: discovers its PCI devices (sysfs under --root), applies --config's [pci] options
            exactly as a Nova compute start does, and reports the PCI resource providers (one per device or per PF of
            VFs, named <host>_<ADDRESS>) with their resource classes, traits and inventories to the controller's
            Placement API; then again every --interval seconds. Providers of devices that vanished or are no longer
            selected are deleted (unless allocations still use them); a concurrent writer only makes the round read
            Placement again.

            A configuration Nova would refuse (bad device_spec, devname with report_in_placement, a PF and its VFs
            both selected, ...) stops the agent before anything is written.

            Examples:
              pcictl agent --controller http://127.0.0.1:8780 --config /etc/nova/nova.conf
              pcictl agent --controller http://ctl:8780 --config nova.conf --root /tmp/host1 --host cmp1 --once

            Exit codes: 0 done (--once) or stopped by Ctrl+C; 2 refused configuration, unreadable files, or (with
            --once) a round that failed. Without --once a failed round is printed and retried at the next interval.
            """)
        {
            controller, root, config, host, interval, once, authToken,
        };
        command.SetAction((parse, cancellationToken) => new Agent(
            parse.GetRequiredValue(controller), parse.GetRequiredValue(root), parse.GetRequiredValue(config),
            parse.GetValue(host), parse.GetRequiredValue(authToken), parse.InvocationConfiguration)
            .RunAsync(parse.GetValue(once), TimeSpan.FromSeconds(parse.GetValue(interval)), cancellationToken));
        return command;
    }

    private sealed class Agent(Uri controller, string root, string configPath, string? hostName, string token, InvocationConfiguration io)
    {
        public async Task<int> RunAsync(bool once, TimeSpan interval, CancellationToken cancellationToken)
        {
            using var http = new HttpClient { BaseAddress = new Uri(controller, "placement/") };
            http.DefaultRequestHeaders.Add("x-auth-token", token);
            var reporter = new PlacementReporter(http);
            for (var round = 1; ; round++)
            {
                var outcome = await RoundAsync(reporter, cancellationToken);
                if (outcome == Outcome.Refused || (once && outcome == Outcome.Failed))
                {
                    return ExitCodes.Usage;
                }

                if (once)
                {
                    return ExitCodes.Ok;
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

        private enum Outcome
        {
            Reported,
            Failed,
            Refused,
        }

        private async Task<Outcome> RoundAsync(PlacementReporter reporter, CancellationToken cancellationToken)
        {
            if (HostConfig.Load(root, configPath, io.Error, hostName) is not ({ } inventory, { } conf))
            {
                return Outcome.Refused;
            }

            if (Refusals(inventory, conf) is { Count: > 0 } refusals)
            {
                foreach (var refusal in refusals)
                {
                    await io.Error.WriteLineAsync($"pcictl agent: {refusal}");
                }

                await io.Error.WriteLineAsync("pcictl agent: refusing to start, as a Nova compute would; fix the configuration and start again.");
                return Outcome.Refused;
            }

            var name = hostName ?? HostInventory.HostName(root);
            try
            {
                var report = await reporter.ReportAsync(name, inventory.Placement!.View, inventory.Tracker!.Pools, [], cancellationToken);
                var plan = report.Plan;
                await io.Output.WriteLineAsync(
                    $"pcictl agent: {name} (compute node {report.ComputeNodeUuid}): {plan.Providers.Count} PCI provider(s), " +
                    $"{plan.Providers.Sum(p => p.Devices.Count)} device(s), {plan.DeletedProviders.Count} deleted" +
                    (plan.AllocationsChanged ? ", allocations healed" : "") + (report.Rounds > 1 ? $", {report.Rounds} rounds" : ""));
                foreach (var warning in plan.Warnings.Concat(inventory.SyncWarnings))
                {
                    await io.Output.WriteLineAsync($"pcictl agent: warning: {warning}");
                }

                return Outcome.Reported;
            }
            catch (Exception e) when (e is HttpRequestException or PlacementReportException or Core.Errors.PciException)
            {
                await io.Error.WriteLineAsync($"pcictl agent: reporting to {controller} failed: {e.Message}");
                return Outcome.Failed;
            }
        }

        /// <summary>What stops a compute from starting (01 §9, 06 PM-1/2/13/14), each with where it comes from.</summary>
        private List<string> Refusals(HostInventory inventory, Host.NovaConf.NovaConfOptions conf)
        {
            var refusals = new List<string>();
            refusals.AddRange(conf.Errors.Select(e => $"{e.Location}: {e.Error.Kind}: {e.Error.Message}"));
            refusals.AddRange(inventory.ConfigErrors.Select(e => $"{e.Location}: {e.Error.Kind}: {e.Error.Message}"));
            if (inventory.PlacementError is { } placement)
            {
                refusals.Add($"{configPath}: {placement.Kind}: {placement.Message}");
            }

            if (refusals.Count == 0 && !conf.ReportInPlacement.Value)
            {
                refusals.Add($"{configPath}: [pci] report_in_placement is false: the agent reports devices to the " +
                    "controller's Placement API only; set report_in_placement = true.");
            }

            return refusals;
        }
    }
}
