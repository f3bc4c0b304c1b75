using PciPassthrough.Core.Devices;

namespace PciPassthrough.Host.Discovery;

/// <summary>One function as sysfs shows it: the record Nova would get from libvirt, plus the SR-IOV counters the
/// readiness checks need.</summary>
/// <param name="Record">The device record (02 LC-1).</param>
/// <param name="TotalVfs">sysfs <c>sriov_totalvfs</c>: how many VFs the PF can have; 0 when not a PF.</param>
/// <param name="EnabledVfs">sysfs <c>sriov_numvfs</c>: how many VFs are enabled now; null when unknown.</param>
public sealed record DiscoveredFunction(PciDeviceRecord Record, int TotalVfs, int? EnabledVfs);
