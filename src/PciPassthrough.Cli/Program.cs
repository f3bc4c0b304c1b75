using System.CommandLine;
using PciPassthrough.Cli.Commands;

namespace PciPassthrough.Cli;

public static class Program
{
    public static int Main(string[] args) => BuildRootCommand().Parse(args).Invoke();

    /// <summary>The table of contents of <c>pcictl</c>: one command group per file in <c>Commands/</c>.</summary>
    public static RootCommand BuildRootCommand() => new(
        "pcictl — PCI passthrough resource manager for KVM/libvirt clouds, speaking Nova's [pci] configuration language.")
    {
        HostCommands.Build(),
        SimulateCommand.Create(),
    };
}
