using System.Diagnostics.Metrics;

namespace PciPassthrough.Server.Metrics;

/// <summary>
/// The controller's meters, scraped at <c>/metrics</c> in Prometheus format: PCI devices by host, status and resource
/// class (the whole fleet as of the scrape, the same on every replica: see <see cref="MetricsEndpoint"/>), and what
/// this replica did: scheduling decisions by outcome with their latency, and claim conflicts (a change lost to another
/// replica's append and decided again).
/// </summary>
public sealed class PciMetrics
{
    public const string MeterName = "PciPassthrough";

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _decisionSeconds;
    private readonly Counter<long> _conflicts;

    public PciMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>("pcictl.scheduling.decisions", "{decision}",
            "Server boots scheduled, by outcome: placed, no_valid_host, api_error.");
        _decisionSeconds = meter.CreateHistogram("pcictl.scheduling.duration", "s",
            "Time to evaluate every host and choose one for a boot.", tags: null, new InstrumentAdvice<double>
            {
                // a decision takes milliseconds: OpenTelemetry's default buckets (0, 5, 10, … seconds) would put every
                // one in the first bucket and leave histogram_quantile nothing to tell
                HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
            });
        _conflicts = meter.CreateCounter<long>("pcictl.claim.conflicts", "{conflict}",
            "Changes that lost the race to another replica's log append and were decided again.");
        meter.CreateObservableGauge("pcictl.pci.devices", () => Devices?.Invoke() ?? [], "{device}",
            "Tracked PCI devices by host, status and Placement resource class.");
    }

    /// <summary>Where the device gauge reads from; set by the engine that owns the fleet.</summary>
    public Func<IEnumerable<Measurement<long>>>? Devices { get; set; }

    public void Decided(string outcome, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _decisions.Add(1, tag);
        _decisionSeconds.Record(elapsed.TotalSeconds, tag);
    }

    public void Conflict() => _conflicts.Add(1);
}
