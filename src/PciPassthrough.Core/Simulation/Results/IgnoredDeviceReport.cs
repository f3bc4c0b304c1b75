namespace PciPassthrough.Core.Simulation.Results;

/// <summary>A reported device that is not tracked: <c>no matching device_spec</c> or <c>address rejected: …</c>.</summary>
public sealed record IgnoredDeviceReport(string Address, string Reason);
