using System.CommandLine;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl config …</c>: what a <c>nova.conf</c> means, before any service is restarted.</summary>
public static class ConfigCommands
{
    public static Command Build()
    {
        var file = new Argument<string>("FILE")
        {
            Description = "The nova.conf to check, e.g. /etc/nova/nova.conf or examples/nova.conf.",
        };
        var format = new Option<string>("--format")
        {
            Description = "How to print the result: 'table' for people, 'json' for scripts (shape documented in "
                + "README.md). Example: --format json",
            DefaultValueFactory = _ => ConfigCheckCommand.TableFormat,
            HelpName = "table|json",
        };
        format.AcceptOnly(ConfigCheckCommand.TableFormat, ConfigCheckCommand.JsonFormat);
        var root = new Option<string?>("--root")
        {
            Description = "The directory holding a host's sys/ (/ on the compute itself, or a copy of one). Resolves "
                + "PF addresses and devnames against it and lists every PCI function there: under the device_spec that "
                + "governs it (address, vendor:product, type, NUMA node, netdev), or as selected by no spec, with why. "
                + "Without --root no device is listed. Example: --root /",
            HelpName = "DIR",
        };
        HostOptions.MustBeADirectory(root);

        var check = new Command("check", """
            Shows what a nova.conf means to Nova's PCI passthrough, and every error Nova would stop with.

            Reads FILE as Nova does (oslo.config INI rules) and prints each [pci] device_spec and [pci] alias as
            understood (normalised, with tags), the other options PCI passthrough reads, and every error as
            FILE:LINE: kind: message. PF addresses and devnames are resolved on the compute, or with --root,
            which also shows which host functions each device_spec selects (the first matching spec wins).

            Examples:
              pcictl config check /etc/nova/nova.conf                  what the file means
              pcictl config check nova.conf --format json              the same, for scripts
              pcictl config check /etc/nova/nova.conf --root /         and what it selects on this host
              pcictl config check nova.conf --root /tmp/copy-of-host   ... on a copy of a host's sys/ tree

            Exit codes: 0 valid, 1 invalid configuration, 2 unreadable file or bad arguments. (host, agent and serve
            exit 2 on an invalid configuration: they cannot run with it.)
            """)
        {
            file,
            format,
            root,
        };
        check.SetAction(parseResult => ConfigCheckCommand.Run(parseResult.GetRequiredValue(file),
            parseResult.GetRequiredValue(format), parseResult.GetValue(root), parseResult.InvocationConfiguration));

        return new Command("config", "Checks a nova.conf the way Nova reads it.") { check };
    }
}
