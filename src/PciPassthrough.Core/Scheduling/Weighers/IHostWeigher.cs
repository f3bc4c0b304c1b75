namespace PciPassthrough.Core.Scheduling.Weighers;

/// <summary>
/// Scores hosts that passed the filters; higher wins. Raw weights are normalised over the candidates before the
/// multiplier applies (05 NF-19), so a weigher only says how it ranks one host.
/// </summary>
/// <typeparam name="THost">What the weigher reads of a host.</typeparam>
public interface IHostWeigher<in THost>
{
    /// <summary>The raw weight, before normalisation.</summary>
    double Weigh(THost host);

    /// <summary>How much this weigher counts for <paramref name="host"/> (config, overridable per aggregate).</summary>
    double Multiplier(THost host);
}
