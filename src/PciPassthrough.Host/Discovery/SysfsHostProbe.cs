using PciPassthrough.Core.Config;

namespace PciPassthrough.Host.Discovery;

/// <summary>
/// Answers <c>device_spec</c>'s questions from sysfs under a root directory, as Nova's <c>nova/pci/utils.py</c>
/// does from <c>/sys</c> (01 DS-20, DS-25, DS-29). Every failure to read answers "no" or null, never throws.
/// </summary>
public sealed class SysfsHostProbe(string root = SysfsPaths.DefaultRoot) : IPciHostProbe
{
    /// <summary>01 DS-20: <c>sriov_totalvfs</c> &gt; 0 under the path built from the address as typed.</summary>
    public bool IsPhysicalFunction(string addressText) =>
        SysfsPaths.PciDevice(root, addressText) is { } directory
        && Directory.Exists(directory)
        && ReadLine(Path.Combine(directory, "sriov_totalvfs")) is { } text
        && SysfsValues.TryParseInt(text, out var totalVfs) && totalVfs > 0;

    /// <summary>
    /// 01 DS-25: follows <c>/sys/class/net/&lt;ifname&gt;/device</c>. A netdev whose device is not a PCI function
    /// (e.g. <c>virtio0</c>) answers null, where Nova would go on with the name and fail to parse it.
    /// </summary>
    public string? FindFunctionByNetdev(string ifname)
    {
        if (!SysfsPaths.IsPlainName(ifname))
        {
            return null;
        }

        var name = SysfsPaths.LinkName(Path.Combine(SysfsPaths.NetClass(root), ifname, "device"));
        return name is not null && SysfsPaths.PciDevice(root, name) is { } directory && Directory.Exists(directory)
            ? name
            : null;
    }

    /// <summary>
    /// 01 DS-29: the function's <c>vendor</c> and <c>device</c> ids. Nova reads a file named <c>product</c>, which
    /// sysfs does not have, so on a real host Nova always fails here; we read the real file.
    /// </summary>
    public (string VendorId, string ProductId)? GetIds(string addressText) =>
        ReadId(addressText, "vendor") is { } vendorId && ReadId(addressText, "device") is { } productId
            ? (vendorId, productId)
            : null;

    /// <summary>01 DS-29: sysfs <c>sriov_vf_device</c>, normalised to 4 lower-case hex digits.</summary>
    public string? GetVfProductId(string pfAddressText) => ReadId(pfAddressText, "sriov_vf_device");

    private string? ReadId(string addressText, string file) =>
        SysfsPaths.PciDevice(root, addressText) is { } directory
        && ReadLine(Path.Combine(directory, file)) is { } text
        && SysfsValues.TryParseHex(text, out var id) && id <= 0xFFFF
            ? $"{id:x4}"
            : null;

    private static string? ReadLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
