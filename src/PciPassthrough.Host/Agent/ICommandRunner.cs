namespace PciPassthrough.Host.Agent;

/// <summary>What a program run said: its exit code and output.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>Runs a program on the host. The agent's host actions go through one, so tests record them instead of
/// needing root, libvirt or SR-IOV hardware.</summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="command"/> (program, then its arguments, never through a shell) to its end.</summary>
    Task<CommandResult> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken);
}
