using PciPassthrough.Core.Config;

namespace PciPassthrough.Core.Devices;

/// <summary>A device the hypervisor reports now together with the <c>device_spec</c> entry that selects it (02 LC-16).</summary>
public readonly record struct MatchedPciDevice(PciDeviceRecord Record, DeviceSpec Spec);
