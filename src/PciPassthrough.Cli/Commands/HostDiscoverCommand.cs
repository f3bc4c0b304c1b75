using System.CommandLine;
using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl host discover</c>: read the host's PCI functions and print them.</summary>
internal static class HostDiscoverCommand
{
    public static int Run(string root, string format, InvocationConfiguration invocation)
    {
        var result = new SysfsDiscovery(root).Discover();
        switch (format)
        {
            case HostOptions.JsonFormat:
                HostDiscoverJson.Write(root, result, invocation.Output);
                break;
            default:
                HostDiscoverText.Write(root, result, tree: format == HostOptions.TreeFormat, invocation.Output);
                break;
        }

        return result.Warnings.Count == 0 ? 0 : 1;
    }
}
