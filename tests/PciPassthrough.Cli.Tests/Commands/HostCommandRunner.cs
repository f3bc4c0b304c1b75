using System.CommandLine;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>Runs one <c>pcictl</c> command line in-process and captures what it prints.</summary>
internal static class HostCommandRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = Program.Run(args, new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString().ReplaceLineEndings("\n"), error.ToString());
    }
}
