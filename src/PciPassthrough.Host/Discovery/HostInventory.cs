using PciPassthrough.Core;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Placement;
using PciPassthrough.Core.Pools;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Host.Discovery;

/// <summary>
/// What a compute host would track at start, from its sysfs and its <c>nova.conf</c>: the discovered functions,
/// the <c>device_spec</c> entry selecting each (or why none does), and a device tracker synced with the selected
/// ones (02 LC-16…LC-20), hence statuses and pools. Built the way the agent starts, without storage.
/// </summary>
/// <param name="Discovery">What sysfs showed.</param>
/// <param name="Devices">One entry per discovered function, in address order.</param>
/// <param name="Specs">The parsed <c>device_spec</c> entries; empty without a configuration.</param>
/// <param name="ConfigErrors">Why the compute would refuse to start because of <c>device_spec</c> (then nothing is
/// matched or tracked), each with its <c>nova.conf</c> location.</param>
/// <param name="Tracker">The synced tracker; null without a configuration or with configuration errors.</param>
/// <param name="SyncWarnings">What the sync said (e.g. duplicate addresses).</param>
/// <param name="IsConfigured">Whether a configuration was given (else nothing could be matched).</param>
public sealed record HostInventory(
    DiscoveryResult Discovery,
    IReadOnlyList<InventoryDevice> Devices,
    IReadOnlyList<DeviceSpec> Specs,
    IReadOnlyList<(ConfLocation Location, PciError Error)> ConfigErrors,
    PciDeviceTracker? Tracker,
    IReadOnlyList<string> SyncWarnings,
    bool IsConfigured)
{
    /// <summary>With <c>[pci] report_in_placement</c>: what the compute would write to a Placement that holds nothing
    /// for it yet (06 PM-4…PM-19); null when reporting is off or the compute refuses to report.</summary>
    public HostPlacement? Placement { get; init; }

    /// <summary>Why the compute would refuse to start with reporting on (06 PM-2, PM-13, PM-14), or null.</summary>
    public PciError? PlacementError { get; init; }

    /// <summary>Discovery only: no device is matched or tracked.</summary>
    public static HostInventory Discover(string root) => FromDiscovery(new SysfsDiscovery(root).Discover());

    /// <summary>Discovery, then the compute's start with <paramref name="conf"/>'s <c>[pci]</c> options.</summary>
    /// <param name="root">The directory holding <c>sys/</c> (and <c>proc/</c>, <c>etc/</c> for the hostname).</param>
    /// <param name="conf">The compute's options.</param>
    /// <param name="hostName">The hypervisor hostname naming the providers; null reads the host's own.</param>
    public static HostInventory Discover(string root, NovaConfOptions conf, string? hostName = null)
    {
        ArgumentNullException.ThrowIfNull(conf);
        var discovery = new SysfsDiscovery(root).Discover();
        var lines = conf.DeviceSpecs.Select(entry => entry.Value).ToList();
        var probe = new SysfsHostProbe(root);
        var options = new DeviceSpecOptions { ReportInPlacement = conf.ReportInPlacement.Value };
        var check = DeviceSpecParser.Check(lines, probe, options);
        if (!check.IsValid)
        {
            return FromDiscovery(discovery) with
            {
                IsConfigured = true,
                Specs = check.Specs,
                ConfigErrors = [.. check.Errors.Select(e => (conf.DeviceSpecs[e.LineIndex].Location, e.Error))],
            };
        }

        var specs = DeviceSpecParser.Parse(lines, probe, options);
        var records = discovery.Records.ToDictionary(r => r.Address, StringComparer.Ordinal);
        var matches = discovery.Records.Select(r => (Record: r, Match: specs.Match(r, records.GetValueOrDefault))).ToList();

        // Pools need the host's cells; the NUMA nodes the devices sit on (sysfs node numbers) stand for them (sockets
        // unknown here).
        var cells = discovery.Records.Where(r => r.NumaNode is not null).Select(r => (int)r.NumaNode!.Value).Distinct()
            .Order().Select(node => new NumaCellSocket(node, null)).ToList();
        var tracker = new PciDeviceTracker(NovaRelease.Latest, cells);
        var sync = tracker.Sync(matches.Where(m => m.Match.IsMatch).Select(m => new MatchedPciDevice(m.Record, m.Match.Spec!)));
        var tracked = tracker.Devices.ToDictionary(d => d.Address, StringComparer.Ordinal);
        var devices = discovery.Functions.Zip(matches, (function, m) => new InventoryDevice(
            function,
            m.Match.Spec,
            m.Match.IsMatch ? null : m.Match.Rejection ?? WhyNoSpec(specs.Specs, m.Record),
            tracked.GetValueOrDefault(function.Record.Address)));
        var inventory = new HostInventory(discovery, [.. devices], specs.Specs, [], tracker, sync.Warnings, IsConfigured: true);
        try
        {
            // a compute's start: Placement holds nothing for it yet
            var update = new PciPlacementUpdater(hostName ?? HostName(root), conf.ReportInPlacement.Value, NewUuid)
                .Start(tracker, specs, PlacementState.Empty, []);
            return update is { View: { } view, Plan: { } plan } ? inventory with { Placement = new(view, plan) } : inventory;
        }
        catch (PciException e)
        {
            return inventory with { PlacementError = e.Error };
        }
    }

    /// <summary>The hypervisor hostname libvirt reports, which prefixes provider names (06 PM-6).</summary>
    public static string HostName(string root) =>
        new[] { Path.Combine(root, "proc", "sys", "kernel", "hostname"), Path.Combine(root, "etc", "hostname") }
            .Select(ReadFirstLine).FirstOrDefault(name => !string.IsNullOrEmpty(name)) ?? Environment.MachineName;

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string NewUuid() => Guid.NewGuid().ToString();

    private static HostInventory FromDiscovery(DiscoveryResult discovery) => new(
        discovery, [.. discovery.Functions.Select(f => new InventoryDevice(f, null, null, null))], [], [], null, [],
        IsConfigured: false);

    /// <summary>
    /// Why no spec selects <paramref name="device"/>: for each spec, the first of its conditions (01 DS-34) the device
    /// fails, checked in the order vendor, product, VPD serial, address. A spec whose ids and serial rule hold can
    /// only have failed on the address.
    /// </summary>
    private static string WhyNoSpec(IReadOnlyList<DeviceSpec> specs, PciDeviceRecord device)
    {
        if (specs.Count == 0)
        {
            return "no device_spec is configured (01 DS-6)";
        }

        var reasons = specs.Select(spec => $"#{spec.Index + 1} " + (
            spec.VendorId != DeviceSpec.AnyId && spec.VendorId != device.VendorId
                ? $"wants vendor_id {spec.VendorId}"
            : spec.ProductId != DeviceSpec.AnyId && spec.ProductId != device.ProductId
                ? $"wants product_id {spec.ProductId}"
            : spec.IsRemoteManaged && string.IsNullOrEmpty(device.CardSerialNumber)
                ? "is remote_managed and the device has no VPD serial number"
            : spec.Devname is { } devname
                ? $"names devname {devname}, another function"
            : spec.Address is { IsPhysicalFunction: true } pf ? $"selects PF {pf} and its VFs"
            : $"selects address {spec.Address}"));
        return "no device_spec selects it: " + string.Join("; ", reasons);
    }
}
