using System.Text.Json.Nodes;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Placement;
using PciPassthrough.Core.Pools;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// What nova-compute does when it starts (SIM-20): parse <c>device_spec</c>, match and track the reported devices and
/// pool them, publish the pool summary, and — with <c>report_in_placement</c> — check the Placement view. The first
/// failing stage stops start-up; what was built before it is still reported (SIM-21).
/// </summary>
internal sealed class HostStartup
{
    public const string DeviceSpecStage = "device_spec", DevicesStage = "devices", PoolsStage = "pools", PlacementStage = "placement";

    private readonly Dictionary<DeviceSpec, JsonObject> _tagsJson = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<PoolKeys, JsonObject> _keysJson = new(ReferenceEqualityComparer.Instance);

    private HostStartup(ScenarioHost host, NovaRelease release) => (Host, Release) = (host, release);

    public ScenarioHost Host { get; }
    public NovaRelease Release { get; }
    public DeviceSpecSet? Specs { get; private set; }

    /// <summary>The tracker, once stage <c>devices</c> got through; devices stay tracked even if a later stage fails.</summary>
    public PciDeviceTracker? Tracker { get; private set; }

    public IReadOnlyList<IgnoredDeviceReport> IgnoredDevices { get; private set; } = [];

    /// <summary>The Placement view built at stage <c>placement</c> (SIM-50); null when reporting is off or refused.</summary>
    public PciPlacementView? Placement { get; private set; }
    public PciError? Error { get; private set; }
    public string? ErrorStage { get; private set; }

    public static HostStartup Run(ScenarioHost host, ScenarioConfig config, NovaRelease release)
    {
        var startup = new HostStartup(host, release);
        var stage = DeviceSpecStage;
        try
        {
            var options = new DeviceSpecOptions { Release = release, ReportInPlacement = config.ReportInPlacement };
            startup.Specs = DeviceSpecParser.Parse(host.DeviceSpec, new PciDeviceListProbe(host.PciDevices), options);
            stage = DevicesStage;
            startup.TrackDevices(release);
            stage = PoolsStage;
            startup.Tracker!.Pools.SchedulerView();
            stage = PlacementStage;
            if (config.ReportInPlacement)
            {
                startup.Placement = startup.PlacementView(startup.Tracker);
            }
        }
        catch (PciException e)
        {
            (startup.Error, startup.ErrorStage) = (e.Error, stage);
        }

        return startup;
    }

    /// <summary>
    /// SIM-20 stage 2: every reported device in list order against the specs (first match wins); an address that cannot
    /// be parsed is skipped (01 DS-35). Matching devices are tracked and pooled in list order.
    /// </summary>
    private void TrackDevices(NovaRelease release)
    {
        var matched = new List<MatchedPciDevice>();
        var ignored = new List<IgnoredDeviceReport>();
        foreach (var device in Host.PciDevices)
        {
            var match = Specs!.Match(device);
            if (match.Spec is { } spec)
            {
                matched.Add(new MatchedPciDevice(device, spec));
            }
            else
            {
                ignored.Add(new IgnoredDeviceReport(device.Address, match.Rejection ?? "no matching device_spec"));
            }
        }

        // pooling looks each new device's spec up again, which reads its stored capabilities (02 LC-1)
        if (matched.Select(m => m.Record.StoredCapabilitiesError).FirstOrDefault(e => e is not null) is { } error)
        {
            throw new PciException(error);
        }

        var tracker = new PciDeviceTracker(release, [.. Host.NumaCells.Select(c => new NumaCellSocket(c.Id, c.Socket))]);
        tracker.Sync(matched);
        (Tracker, IgnoredDevices) = (tracker, ignored);
    }

    /// <summary>
    /// SIM-50: the providers of the tracker's devices (ascending address) as they are now, so the final state reports
    /// the same providers with their current consumers.
    /// </summary>
    /// <exception cref="PciException">A start-up refusal of the Placement view.</exception>
    public PciPlacementView PlacementView(PciDeviceTracker tracker) => PciPlacementView.Build(Host.Name, Specs!, tracker.Devices, Release);

    public IReadOnlyList<SpecReport>? SpecReports() => Specs?.Specs.Select(spec => new SpecReport(
        spec.Index,
        spec.ConfigIndex,
        spec.VendorId,
        spec.ProductId,
        spec.WrittenDevname,
        spec.Address is { } address
            ? new SpecAddressReport(address.Kind == DeviceSpecAddressKind.Glob ? "glob" : "regex",
                address.Domain, address.Bus, address.Slot, address.Function, address.IsPhysicalFunction)
            : null,
        TagsJson(spec))).ToList();

    /// <summary>The tags of <see cref="TagsOf"/>, built once per spec for the reports of all its devices (reports
    /// only write them).</summary>
    public JsonObject TagsJson(DeviceSpec spec)
    {
        if (!_tagsJson.TryGetValue(spec, out var json))
        {
            _tagsJson[spec] = json = TagsOf(spec);
        }

        return json;
    }

    /// <summary>A pool identity as JSON, built once per identity for the reports of all its pools and devices.</summary>
    public JsonObject KeysJson(PoolKeys keys)
    {
        if (!_keysJson.TryGetValue(keys, out var json))
        {
            _keysJson[keys] = json = keys.ToJsonObject();
        }

        return json;
    }

    /// <summary>A spec's tags with their raw JSON values (§4.3).</summary>
    public static JsonObject TagsOf(DeviceSpec spec)
    {
        var tags = new JsonObject();
        foreach (var (key, value) in spec.Tags)
        {
            tags[key] = value?.DeepClone();
        }

        return tags;
    }
}
