using PciPassthrough.Core;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pools;

namespace PciPassthrough.Testing.Devices;

/// <summary>
/// Builds a compute host's device tracker from <c>device_spec</c> lines and reported devices, as a compute start does:
/// specs parsed against the devices, devices matched and synced in reported order.
/// </summary>
public sealed class PciHostBuilder(NovaRelease release = NovaRelease.Latest)
{
    private readonly List<string> _specs = [];
    private readonly List<PciDeviceRecord> _devices = [];
    private readonly List<NumaCellSocket> _cells = [];
    private bool _reportInPlacement;

    public PciHostBuilder WithSpec(string json)
    {
        _specs.Add(json);
        return this;
    }

    /// <summary><c>[pci] report_in_placement = true</c> (lets specs set <c>one_time_use</c>).</summary>
    public PciHostBuilder WithReportInPlacement()
    {
        _reportInPlacement = true;
        return this;
    }

    public PciHostBuilder WithCell(int id, int? socket)
    {
        _cells.Add(new NumaCellSocket(id, socket));
        return this;
    }

    public PciHostBuilder With(params PciDeviceRecord[] devices)
    {
        _devices.AddRange(devices);
        return this;
    }

    /// <summary>A PF at <paramref name="pfAddress"/> and its VFs at function 1…<paramref name="vfCount"/> of slot 10.</summary>
    public PciHostBuilder WithPfAndVfs(string pfAddress, int vfCount, string pfProduct = "1528", string vfProduct = "1515",
        int? numa = null)
    {
        _devices.Add(PciRecords.Pf(pfAddress, productId: pfProduct, numa: numa));
        var bus = pfAddress[..8];
        for (var i = 1; i <= vfCount; i++)
        {
            _devices.Add(PciRecords.Vf($"{bus}10.{i}", pfAddress, productId: vfProduct, numa: numa));
        }

        return this;
    }

    public DeviceSpecSet ParseSpecs() =>
        DeviceSpecParser.Parse(_specs, new PciDeviceListProbe(_devices), new DeviceSpecOptions { Release = release, ReportInPlacement = _reportInPlacement });

    /// <summary>The reported devices a spec selects, with it, in reported order.</summary>
    public IReadOnlyList<MatchedPciDevice> Matched(DeviceSpecSet specs) =>
        [.. _devices.Select(d => (Device: d, specs.Match(d).Spec)).Where(m => m.Spec is not null)
            .Select(m => new MatchedPciDevice(m.Device, m.Spec!))];

    /// <summary>A freshly started tracker: every selected device available and pooled in reported order.</summary>
    public PciDeviceTracker Build()
    {
        var tracker = new PciDeviceTracker(release, _cells);
        tracker.Sync(Matched(ParseSpecs()));
        return tracker;
    }

    /// <summary>A tracker read back from storage with the given device states (02 LC-21); devices not named are available.</summary>
    public PciDeviceTracker Restore(params (string Address, PciDeviceStatus Status, string? Owner)[] states)
    {
        var specs = ParseSpecs();
        var stored = _devices.Select(d => states.FirstOrDefault(s => s.Address == d.Address) is { Address: not null } s
            ? new StoredPciDevice(d, s.Status, s.Owner)
            : new StoredPciDevice(d, PciDeviceStatus.Available));
        return PciDeviceTracker.Restore(release, _cells, stored, r => specs.Match(r).Spec);
    }
}
