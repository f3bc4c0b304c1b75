namespace PciPassthrough.Core.Config;

/// <summary>
/// What <see cref="DeviceSpecSet.Match"/> found for one device: the first matching spec (01 DS-5), no spec (the device
/// is not tracked, DS-36), or an address that could not be parsed (DS-35: the device is skipped).
/// </summary>
public readonly record struct DeviceSpecMatch
{
    private DeviceSpecMatch(DeviceSpec? spec, string? rejection) => (Spec, Rejection) = (spec, rejection);

    public static DeviceSpecMatch None { get; } = default;

    /// <summary>The first spec that matches, or null.</summary>
    public DeviceSpec? Spec { get; }

    /// <summary><c>address rejected: &lt;why&gt;</c> when the device's address could not be parsed, else null.</summary>
    public string? Rejection { get; }

    public bool IsMatch => Spec is not null;

    public static DeviceSpecMatch Matched(DeviceSpec spec) => new(spec, null);

    public static DeviceSpecMatch Rejected(string reason) => new(null, "address rejected: " + reason);
}
