namespace PciPassthrough.Core.Devices;

/// <summary>What storage keeps of one tracked device (02 LC-3), read back at service start (LC-21).</summary>
public sealed record StoredPciDevice(
    PciDeviceRecord Record, PciDeviceStatus Status, string? InstanceId = null, string? RequestId = null)
{
    /// <summary>Stored extra info; null derives it from <see cref="Record"/> and the current spec.</summary>
    public IReadOnlyDictionary<string, string>? ExtraInfo { get; init; }
}
