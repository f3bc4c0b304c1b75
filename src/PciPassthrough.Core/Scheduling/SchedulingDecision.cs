namespace PciPassthrough.Core.Scheduling;

/// <summary>What <see cref="HostScheduler"/> decided for one server.</summary>
/// <param name="Chosen">Index of the chosen host, or null when no host passed the filters (Nova's NoValidHost).</param>
/// <param name="Rejections">Per host, in the hosts' order: the first filter's rejection, null for hosts that passed.</param>
/// <param name="Weights">The hosts that passed (their index) with their total weight, in the hosts' order.</param>
public sealed record SchedulingDecision(
    int? Chosen, IReadOnlyList<Rejection?> Rejections, IReadOnlyList<KeyValuePair<int, double>> Weights);
