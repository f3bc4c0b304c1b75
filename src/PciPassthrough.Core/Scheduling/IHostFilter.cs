namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// One scheduler check of a host for a server (05 §3). <see cref="Check"/> returns null when the host passes, or a
/// <see cref="Rejection"/> that says what was missing where — Nova only logs a line.
/// </summary>
public interface IHostFilter
{
    /// <summary>The check's name in results and explanations (<see cref="HostChecks"/>).</summary>
    string Name { get; }

    Rejection? Check(HostState host, ServerRequest request);
}
