namespace PciPassthrough.Core.Devices;

/// <summary>What one sync with the hypervisor changed (02 LC-16…LC-20).</summary>
/// <param name="Added">New devices, now available and pooled (LC-19), in reported order.</param>
/// <param name="Updated">Free devices whose record was replaced (LC-18).</param>
/// <param name="Deferred">Devices in use whose new record waits until they are freed (LC-18).</param>
/// <param name="Removed">Devices gone from the host or the configuration, now removed (LC-17).</param>
/// <param name="Held">Devices gone but in use: kept, flagged to be removed when freed (LC-17).</param>
/// <param name="Warnings">What an operator should know (held devices, …).</param>
public sealed record DeviceSyncResult(
    IReadOnlyList<TrackedDevice> Added,
    IReadOnlyList<TrackedDevice> Updated,
    IReadOnlyList<TrackedDevice> Deferred,
    IReadOnlyList<TrackedDevice> Removed,
    IReadOnlyList<TrackedDevice> Held,
    IReadOnlyList<string> Warnings);
