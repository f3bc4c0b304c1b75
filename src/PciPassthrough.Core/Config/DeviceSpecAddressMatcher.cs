using System.Text.RegularExpressions;

namespace PciPassthrough.Core.Config;

/// <summary>Matches normalised device address fields against one spec address, with everything pre-parsed.</summary>
internal sealed class DeviceSpecAddressMatcher
{
    private readonly DeviceSpecAddress _address;
    private readonly Regex[]? _regexes;

    public DeviceSpecAddressMatcher(DeviceSpecAddress address, Regex[]? regexes = null) =>
        (_address, _regexes) = (address, regexes);

    public DeviceSpecAddress Address => _address;

    /// <summary>01 DS-14 (glob: <c>*</c> or equal) and DS-18 (regex: prefix match, case-sensitive).</summary>
    public bool Matches(PciAddressFields device) => _regexes is null
        ? GlobMatches(_address.Domain, device.Domain) && GlobMatches(_address.Bus, device.Bus)
            && GlobMatches(_address.Slot, device.Slot) && GlobMatches(_address.Function, device.Function)
        : PrefixMatches(_regexes[0], device.Domain) && PrefixMatches(_regexes[1], device.Bus)
            && PrefixMatches(_regexes[2], device.Slot) && PrefixMatches(_regexes[3], device.Function);

    private static bool GlobMatches(string field, string device) => field == HexField.Any || field == device;

    // Python's re.match: a match that starts at index 0, not necessarily spanning the field (DS-18). The leftmost match
    // starts there if any does; enumerating finds it without allocating a Match per device.
    private static bool PrefixMatches(Regex regex, string device)
    {
        foreach (var match in regex.EnumerateMatches(device))
        {
            return match.Index == 0;
        }

        return false;
    }
}
