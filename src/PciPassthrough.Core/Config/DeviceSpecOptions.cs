namespace PciPassthrough.Core.Config;

/// <summary>The settings <c>device_spec</c> parsing depends on.</summary>
public sealed record DeviceSpecOptions
{
    /// <summary>Zed keeps <c>managed</c>/<c>live_migratable</c>/<c>one_time_use</c> as plain tags (scenario-format §6).</summary>
    public NovaRelease Release { get; init; } = NovaRelease.Latest;

    /// <summary><c>[pci] report_in_placement</c> (01 DS-26, DS-28).</summary>
    public bool ReportInPlacement { get; init; }

    /// <summary>The compute's libvirt version, when known; checked against <c>live_migratable</c> (01 DS-33).</summary>
    public Version? LibvirtVersion { get; init; }

    /// <summary>The compute's QEMU version, when known; checked against <c>live_migratable</c> (01 DS-33).</summary>
    public Version? QemuVersion { get; init; }
}
