using BenchmarkDotNet.Attributes;
using PciPassthrough.Core;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pools;

namespace PciPassthrough.Benchmarks.Host;

/// <summary>
/// A full sync of a large host (02 LC-16…LC-20): match every reported device against three <c>device_spec</c> lines,
/// then sync the tracker. <see cref="FirstSync"/> is a compute's start (every device new, pooled);
/// <see cref="PeriodicSync"/> is the periodic task on an unchanged host (every device updated in place).
/// Goal: ≤ 10 ms for 10,000 devices on one core, growing linearly.
/// </summary>
[MemoryDiagnoser]
public class DeviceSyncBenchmarks
{
    private static readonly NumaCellSocket[] _cells = [new(0, 0), new(1, 1)];

    private IReadOnlyList<PciDeviceRecord> _devices = [];
    private DeviceSpecSet _specs = null!;
    private PciDeviceTracker _tracker = null!;

    /// <summary>80 PFs × (1 + 124 VFs) = 10,000 devices; 160 PFs = 20,000.</summary>
    [Params(80, 160)]
    public int Pfs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _devices = ScaleHost.Devices(Pfs);
        _specs = DeviceSpecParser.Parse(ScaleHost.DeviceSpecs, new PciDeviceListProbe(_devices));
        _tracker = new PciDeviceTracker(NovaRelease.Latest, _cells);
        _tracker.Sync(Match());
    }

    [Benchmark]
    public DeviceSyncResult FirstSync() => new PciDeviceTracker(NovaRelease.Latest, _cells).Sync(Match());

    [Benchmark]
    public DeviceSyncResult PeriodicSync() => _tracker.Sync(Match());

    // streamed into the sync, as discovery does: no list of 10,000+ matches on the large object heap
    private IEnumerable<MatchedPciDevice> Match()
    {
        foreach (var device in _devices)
        {
            if (_specs.Match(device).Spec is { } spec)
            {
                yield return new MatchedPciDevice(device, spec);
            }
        }
    }
}
