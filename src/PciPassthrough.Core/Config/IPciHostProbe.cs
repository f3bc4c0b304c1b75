namespace PciPassthrough.Core.Config;

/// <summary>
/// The questions <c>device_spec</c> parsing asks the host (01 DS-20, DS-25, DS-29). Sysfs answers them on a real
/// host; a scenario answers them from its device list (scenario-format §2.4).
/// </summary>
public interface IPciHostProbe
{
    /// <summary>Whether the function at <paramref name="addressText"/> (as typed, unpadded) is an SR-IOV PF.</summary>
    bool IsPhysicalFunction(string addressText);

    /// <summary>The PCI address of the function that owns network interface <paramref name="ifname"/>, or null.</summary>
    string? FindFunctionByNetdev(string ifname);

    /// <summary>The vendor and product ids of a function; null when it cannot be read.</summary>
    (string VendorId, string ProductId)? GetIds(string addressText);

    /// <summary>The product id of the VFs of a PF (sysfs <c>sriov_vf_device</c>); null when it cannot be read.</summary>
    string? GetVfProductId(string pfAddressText);
}
