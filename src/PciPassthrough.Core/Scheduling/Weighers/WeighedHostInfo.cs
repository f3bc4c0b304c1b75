namespace PciPassthrough.Core.Scheduling.Weighers;

/// <summary>What the weighers read of a host that passed the filters (a struct: a decision weighs thousands).</summary>
/// <param name="Name">The host.</param>
/// <param name="FreePciDevices">Σ count over the host's pool summary; null when the host publishes none.</param>
/// <param name="AggregateMetadata">The metadata of every aggregate the host is in.</param>
public readonly record struct WeighedHostInfo(
    string Name, long? FreePciDevices, IReadOnlyList<IReadOnlyDictionary<string, string>> AggregateMetadata)
{
    /// <summary>The weighers' view of a host that passed the filters.</summary>
    public static WeighedHostInfo Of(HostState host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new(host.Name, host.Pools?.FreeCount, host.AggregateMetadata);
    }
}
