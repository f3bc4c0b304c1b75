using PciPassthrough.Core.Devices;

namespace PciPassthrough.Core.Pools;

/// <summary>A device taken by <c>consume</c> for the request at <paramref name="RequestIndex"/> (04 PL-22).</summary>
public readonly record struct PciPick(TrackedDevice Device, int RequestIndex);
