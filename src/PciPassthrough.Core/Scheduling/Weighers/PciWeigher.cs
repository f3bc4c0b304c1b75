using System.Globalization;

namespace PciPassthrough.Core.Scheduling.Weighers;

/// <summary>
/// Nova's <c>PCIWeigher</c> (05 NF-18…NF-20): prefers hosts with fewer free PCI devices, so PCI servers stack and
/// servers without PCI stay off PCI-rich hosts. <c>simulate</c> does not use it for its choice (SIM-40).
/// </summary>
/// <param name="configuredMultiplier"><c>[filter_scheduler] pci_weight_multiplier</c>.</param>
public sealed class PciWeigher(double configuredMultiplier = PciWeigher.DefaultMultiplier) : IHostWeigher<WeighedHostInfo>
{
    public const double DefaultMultiplier = 1.0;
    public const string MultiplierKey = "pci_weight_multiplier";
    private const int MaxDevices = 100;


    /// <summary>NF-18: 100 − min(free devices, 99); a host without a pool summary has none free.</summary>
    public double Weigh(WeighedHostInfo host) => MaxDevices - Math.Min(host.FreePciDevices ?? 0, MaxDevices - 1);

    /// <summary>
    /// NF-20: the minimum of the host's aggregates' <c>pci_weight_multiplier</c> values, else the configured one; one
    /// unparsable value makes the configured one apply.
    /// </summary>
    public double Multiplier(WeighedHostInfo host)
    {
        if (host.AggregateMetadata.Count == 0)
        {
            return configuredMultiplier;
        }

        var values = host.AggregateMetadata.Select(metadata => metadata.GetValueOrDefault(MultiplierKey))
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (values.Count == 0)
        {
            return configuredMultiplier;
        }

        var parsed = values.Select(text => double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value : (double?)null).ToList();
        return parsed.Any(value => value is null) ? configuredMultiplier : parsed.Min()!.Value;
    }
}
