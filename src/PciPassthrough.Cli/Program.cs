using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using PciPassthrough.Cli.Commands;

namespace PciPassthrough.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args);

    /// <summary>Parses and runs one command line; a wrong command line exits with <see cref="ExitCodes.Usage"/>.</summary>
    public static int Run(IReadOnlyList<string> args, InvocationConfiguration? configuration = null)
    {
        // no response files: a name or value that starts with '@' (a server named @vm) is itself, not a file to read
        var parseResult = BuildRootCommand().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var verb = parseResult.CommandResult;
        // a verb with a wrong option or argument gets its error lines and where its help is, not the whole help
        // above them; a group without its verb still gets the listing of its verbs
        var notBooleans = UsageErrors.NotBooleans(parseResult, args);
        if ((parseResult.Action is ParseErrorAction || notBooleans.Count > 0) && verb.Command.Subcommands.Count == 0)
        {
            var error = configuration?.Error ?? Console.Error;
            UsageErrors.Write(parseResult, notBooleans, error);
            error.WriteLine($"See '{CommandPath(verb)} --help' for its options and examples.");
            return ExitCodes.Usage;
        }

        // a word the group does not know gets one line naming it, not "Required command was not provided." and the help
        if (parseResult.Action is ParseErrorAction && parseResult.UnmatchedTokens is [var unknown, ..])
        {
            (configuration?.Error ?? Console.Error).WriteLine(UsageErrors.NotAVerb(verb.Command, CommandPath(verb), unknown));
            return ExitCodes.Usage;
        }

        var exitCode = parseResult.Invoke(configuration);
        return parseResult.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
    }

    /// <summary>How the operator types <paramref name="verb"/>, e.g. <c>pcictl server create</c>.</summary>
    private static string CommandPath(CommandResult verb) =>
        verb.Parent is CommandResult parent ? $"{CommandPath(parent)} {verb.Command.Name}" : "pcictl";

    /// <summary>The table of contents of <c>pcictl</c>: one command group per file in <c>Commands/</c>.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("""
            pcictl — PCI passthrough resource manager for KVM/libvirt clouds, speaking Nova's [pci] configuration language.

            Start here:
              pcictl config check /etc/nova/nova.conf      what a nova.conf means to Nova, and every error it would stop with
              pcictl serve --demo                          a controller with a demo fleet; then, in another terminal:
              pcictl server create vm1 --flavor gpu.a100   a server with an A100 (pcictl server show vm1: which one)

            Each verb's --help (pcictl server create --help) has examples and its exit codes: 0 done, 1 the answer
            is no (invalid, refused, does not fit), 2 bad command line or unusable input, 3 no controller.
            """)
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
