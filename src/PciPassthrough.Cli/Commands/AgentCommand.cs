using System.CommandLine;
using PciPassthrough.Host.Agent;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// <c>pcictl agent</c>: the compute side. Every round re-discovers the host, applies <c>nova.conf</c> as a compute
/// start does, sends the host description to the controller (<c>PUT /v1/hosts/{name}</c>; unchanged = heartbeat)
/// and, with <c>report_in_placement</c>, reports the PCI provider tree to its Placement API (06 PM-16…PM-22).
/// Stateless: each round starts from sysfs and from what the controller holds.
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
            Description = "The compute's nova.conf: [pci] device_spec says which devices are tracked; with "
                + "[pci] report_in_placement = true they are also reported to Placement; [DEFAULT] "
                + "cpu_allocation_ratio, ram_allocation_ratio and reserved_host_memory_mb are sent when set.",
            Required = true,
            HelpName = "FILE",
        };
        var host = new Option<string?>("--host")
        {
            Description = "The hypervisor hostname naming the compute node provider (default: this host's name under --root).",
            HelpName = "NAME",
        };
        var interval = WholeNumberOption.Create("--interval", "Seconds between rounds (Nova's update_resources_interval).", minimum: 1);
        interval.DefaultValueFactory = _ => 60;
        interval.HelpName = "SECONDS";
        var once = new Option<bool>("--once") { Description = "Run one round and exit (for cron jobs and checks)." };
        var authToken = new Option<string>("--auth-token")
        {
            Description = "The x-auth-token the controller expects ('serve --auth-token'); 'admin' fits a loopback controller without one.",
            DefaultValueFactory = _ => "admin",
            HelpName = "TOKEN",
        };
        authToken.Validators.Add(result =>
        {
            foreach (var problem in result.Tokens.Select(t => ControllerOptions.TokenProblem(t.Value)).OfType<string>())
            {
                result.AddError(problem);
            }
        });
        var command = new Command("agent", """
            Runs on a compute host: describes it to the controller (and to Placement) every --interval seconds.

            Discovers the host's NUMA cells (sys/devices/system/node) and PCI devices (sysfs under --root), applies
            --config's [pci] options exactly as a Nova compute start does, and sends the host's description
            (cells, devices, device_spec, capacity options) to the controller, which schedules servers on it;
            then again every --interval seconds (an unchanged description is a heartbeat). With [pci]
            report_in_placement = true it also reports the PCI resource providers (one per device or per PF of
            VFs, named <host>_<ADDRESS>) with their resource classes, traits and inventories to the
            controller's Placement API; providers of devices that vanished or are no longer selected are
            deleted (unless allocations still use them).

            A configuration Nova would refuse (bad device_spec, devname with report_in_placement, a PF and its VFs
            both selected, ...) stops the agent before anything is written.

            Examples:
              pcictl agent --controller http://127.0.0.1:8780 --config /etc/nova/nova.conf
              pcictl agent --controller http://ctl:8780 --config nova.conf --root /tmp/host1 --host cmp1 --once

            Exit codes: 0 done (--once) or stopped by Ctrl+C; 1 (--once) the controller refused the round (e.g. a
            token it does not accept); 2 a refused configuration or an unreadable file; 3 (--once) no controller
            answered, or it failed (5xx). Without --once a refused or failed round is printed and retried at the next
            interval.
            """)
        {
            controller, root, config, host, interval, once, authToken,
        };
        command.SetAction((parse, cancellationToken) => new Agent(
            parse.GetRequiredValue(controller), parse.GetRequiredValue(root), parse.GetRequiredValue(config),
            parse.GetValue(host), parse.GetRequiredValue(authToken), parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error, HostCommands(parse.GetRequiredValue(root)))
            .RunAsync(parse.GetValue(once), TimeSpan.FromSeconds(parse.GetValue(interval)), cancellationToken));
        return command;
    }

    /// <summary>Only an agent describing this very host (<c>--root /</c>) runs <c>virsh</c> and <c>ip</c> here: one
    /// describing a copied tree would read or change another machine's devices.</summary>
    private static ProcessCommandRunner? HostCommands(string root) =>
        Path.GetFullPath(root) == Path.GetFullPath(Host.Discovery.SysfsPaths.DefaultRoot) ? new ProcessCommandRunner() : null;
}
