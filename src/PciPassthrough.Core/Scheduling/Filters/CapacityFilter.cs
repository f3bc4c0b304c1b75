namespace PciPassthrough.Core.Scheduling.Filters;

/// <summary>
/// The Placement capacity check (scenario-format SIM-46): VCPU, PCPU and MEMORY_MB must have an inventory with
/// room for the server, and the compute node must have the traits the server requires (05 NF-17). Zed schedules PCI
/// devices without Placement, so they are not part of it.
/// </summary>
public sealed class CapacityFilter : IHostFilter
{
    public string Name => HostChecks.Placement;

    public Rejection? Check(HostState host, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        if (host.Capacity.Fits(request.ResourceAmounts) && (request.RequiredTraits.Count == 0 || MissingTraits(host, request).Count == 0))
        {
            return null;
        }

        return new Rejection(Name, string.Join("; ", [.. MissingTraits(host, request), .. host.Capacity.Check(request.Resources).Reasons]));
    }

    /// <summary>Why Placement leaves the host out for its traits: one reason per required trait it lacks.</summary>
    public static List<string> MissingTraits(HostState host, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        return [.. request.RequiredTraits.Where(trait => !host.Traits.Contains(trait)).Order(StringComparer.Ordinal)
            .Select(trait => $"the compute node lacks the required trait {trait}")];
    }
}
