namespace PciPassthrough.Core.Scheduling.Filters;

/// <summary>
/// The Placement capacity check (scenario-format SIM-46): VCPU, PCPU and MEMORY_MB must have an inventory with
/// room for the server. Zed schedules PCI devices without Placement, so they are not part of it.
/// </summary>
public sealed class CapacityFilter : IHostFilter
{
    public string Name => HostChecks.Placement;

    public Rejection? Check(HostState host, ServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        if (host.Capacity.Fits(request.ResourceAmounts))
        {
            return null;
        }

        return new Rejection(Name, string.Join("; ", host.Capacity.Check(request.Resources).Reasons));
    }
}
