using System.ComponentModel;
using System.Diagnostics;

namespace PciPassthrough.Host.Agent;

/// <summary>Runs programs as child processes; a program that cannot be started gives exit code 127, as a shell
/// would. A cancelled run kills the program.</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    public const int NotFound = 127;

    public async Task<CommandResult> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            return new CommandResult(NotFound, "", $"{command[0]}: {e.Message}");
        }

        using (process)
        {
            try
            {
                var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var error = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                return new CommandResult(process.ExitCode, await output, await error);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
    }
}
