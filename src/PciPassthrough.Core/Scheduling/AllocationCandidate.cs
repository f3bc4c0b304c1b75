namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// One Placement allocation candidate of a host (06 §7): for each request group (named after the PCI request id and
/// the device's position, 04 PL-16), the providers it would allocate from.
/// </summary>
public sealed record AllocationCandidate(IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Mappings);
