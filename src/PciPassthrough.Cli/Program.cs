using System.CommandLine;
using PciPassthrough.Cli.Commands;

namespace PciPassthrough.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args);

    /// <summary>Parses and runs one command line; a wrong command line exits with <see cref="ExitCodes.Usage"/>.</summary>
    public static int Run(IReadOnlyList<string> args, InvocationConfiguration? configuration = null)
    {
        var parseResult = BuildRootCommand().Parse(args);
        var exitCode = parseResult.Invoke(configuration);
        return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
    }

    /// <summary>The table of contents of <c>pcictl</c>: one command group per file in <c>Commands/</c>.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand(
            "pcictl — PCI passthrough resource manager for KVM/libvirt clouds, speaking Nova's [pci] configuration language.")
        {
            ConfigCommands.Build(),
            HostCommands.Build(),
            SimulateCommand.Create(),
            ServeCommand.Create(),
            AgentCommand.Create(),
            FlavorCommands.Build(),
            ImageCommands.Build(),
            PortCommands.Build(),
            ServerCommands.Build(),
            CapacityCommand.Create(),
        };
        SummaryHelpAction.Install(root);
        return root;
    }
}
