namespace PciPassthrough.Core.Devices;

/// <summary>The seven statuses of a tracked device (02 §3). Only <see cref="Available"/> devices are in pools.</summary>
public enum PciDeviceStatus
{
    /// <summary>Usable.</summary>
    Available,

    /// <summary>Reserved for an instance (a build or an incoming move is in progress).</summary>
    Claimed,

    /// <summary>In use by an instance.</summary>
    Allocated,

    /// <summary>A related device (its PF, or one of its VFs) is claimed.</summary>
    Unclaimable,

    /// <summary>A related device is allocated.</summary>
    Unavailable,

    /// <summary>Gone from the hypervisor or the configuration, not yet deleted from storage.</summary>
    Removed,

    /// <summary>Deleted from storage; the tracker drops it.</summary>
    Deleted,
}

public static class PciDeviceStatuses
{
    /// <summary>Nova's word for the status (<c>available</c>, <c>claimed</c>, …).</summary>
    public static string ToNovaName(this PciDeviceStatus status) => status switch
    {
        PciDeviceStatus.Available => "available",
        PciDeviceStatus.Claimed => "claimed",
        PciDeviceStatus.Allocated => "allocated",
        PciDeviceStatus.Unclaimable => "unclaimable",
        PciDeviceStatus.Unavailable => "unavailable",
        PciDeviceStatus.Removed => "removed",
        PciDeviceStatus.Deleted => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Statuses a device may leave its parent or children in without blocking it (02 LC-6, LC-7).</summary>
    internal static bool IsFreeOrBlocked(this PciDeviceStatus status) =>
        status is PciDeviceStatus.Available or PciDeviceStatus.Unclaimable or PciDeviceStatus.Unavailable;
}
