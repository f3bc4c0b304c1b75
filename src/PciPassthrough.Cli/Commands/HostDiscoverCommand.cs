using System.CommandLine;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl host discover</c>: read the host's PCI functions, apply <c>--config</c>, print.</summary>
internal static class HostDiscoverCommand
{
    public static int Run(string root, string? configPath, string format, InvocationConfiguration invocation)
    {
        if (HostConfig.Load(root, configPath, invocation.Error) is not ({ } inventory, var conf))
        {
            return HostConfig.Failure;
        }

        switch (format)
        {
            case HostOptions.JsonFormat:
                HostDiscoverJson.Write(root, inventory, conf, invocation.Output);
                break;
            default:
                HostDiscoverText.Write(root, inventory, conf, tree: format == HostOptions.TreeFormat, invocation.Output);
                break;
        }

        return inventory.ConfigErrors.Count > 0 || conf?.Errors.Count > 0 || inventory.PlacementError is not null
            ? HostConfig.Failure
            : inventory.Discovery.Warnings.Count > 0 || conf?.Warnings.Count > 0 || inventory.SyncWarnings.Count > 0 ? 1
            : 0;
    }
}
