using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Placement;

/// <summary>
/// The PCI part of a compute's resource update, run after every device sync (06 PM-3; Nova's
/// <c>update_provider_tree_for_pci</c> and how the compute manager treats its failure): with reporting off only the
/// PM-1 check; else the view, the plan, and the providers recorded on devices and pools (PM-18). Healing is part of
/// every run, whether or not the scheduler places PCI devices (PM-22).
/// </summary>
/// <param name="hostName">The hypervisor hostname (PM-6).</param>
/// <param name="reportInPlacement"><c>[pci] report_in_placement</c>.</param>
/// <param name="newUuid">Makes the uuid of a new provider (PM-6).</param>
public sealed class PciPlacementUpdater(string hostName, bool reportInPlacement, Func<string> newUuid)
{
    /// <summary>06 PM-3 at service start: a refusal stops the service.</summary>
    /// <param name="tracker">The synced tracker.</param>
    /// <param name="specs">The compute's <c>device_spec</c>.</param>
    /// <param name="state">What Placement holds for the compute now.</param>
    /// <param name="sameHostResizeInstances">Instances in a same-host resize: never healed (PM-21).</param>
    /// <exception cref="PciException">A refusal of PM-1, PM-2, PM-13, PM-14 or PM-20.</exception>
    public PciPlacementUpdate Start(
        PciDeviceTracker tracker, DeviceSpecSet specs, PlacementState state, IReadOnlyCollection<string> sameHostResizeInstances) =>
        Update(tracker, specs, state, sameHostResizeInstances);

    /// <summary>
    /// 06 PM-3 at every periodic run: the configuration was accepted at start, so a refusal now is returned in
    /// <see cref="PciPlacementUpdate.Error"/> to be logged, nothing is written, and the compute goes on.
    /// </summary>
    public PciPlacementUpdate Periodic(
        PciDeviceTracker tracker, DeviceSpecSet specs, PlacementState state, IReadOnlyCollection<string> sameHostResizeInstances)
    {
        try
        {
            return Update(tracker, specs, state, sameHostResizeInstances);
        }
        catch (PciException e)
        {
            return new PciPlacementUpdate(null, null, e.Error);
        }
    }

    private PciPlacementUpdate Update(
        PciDeviceTracker tracker, DeviceSpecSet specs, PlacementState state, IReadOnlyCollection<string> sameHostResizeInstances)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(state);
        if (!reportInPlacement)
        {
            PciPlacementView.EnsureReportingNotDisabled(state.Providers.Select(p => p.Traits));
            return PciPlacementUpdate.None;
        }

        var view = PciPlacementView.Build(hostName, specs, tracker.Devices, tracker.Pools.Release);
        var plan = PciPlacementPlan.Create(view, state, newUuid, sameHostResizeInstances);
        plan.RecordProviders(tracker.Pools);
        return new PciPlacementUpdate(view, plan, null);
    }
}
