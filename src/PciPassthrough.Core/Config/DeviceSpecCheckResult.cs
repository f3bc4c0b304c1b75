namespace PciPassthrough.Core.Config;

/// <summary>Every valid spec and every problem of a <c>device_spec</c> option (for <c>pcictl config check</c>).</summary>
public sealed record DeviceSpecCheckResult(IReadOnlyList<DeviceSpec> Specs, IReadOnlyList<DeviceSpecError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
