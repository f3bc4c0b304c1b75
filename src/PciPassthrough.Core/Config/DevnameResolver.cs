using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Config;

/// <summary>Turns a <c>devname</c> into the address it names, through the host (01 DS-25).</summary>
internal static class DevnameResolver
{
    /// <summary>
    /// The matcher for the function that owns <paramref name="devname"/>: a PF selects itself and its VFs, any other
    /// function is a glob address. <paramref name="matcher"/> is null when the interface does not exist. The error is
    /// set when the host reports an address that cannot be parsed.
    /// </summary>
    public static PciError? TryResolve(
        string devname, IPciHostProbe probe, NovaRelease release, out DeviceSpecAddressMatcher? matcher)
    {
        matcher = null;
        var addressText = probe.FindFunctionByNetdev(devname);
        if (addressText is null)
        {
            return null;
        }

        if (probe.IsPhysicalFunction(addressText))
        {
            var pfError = PciAddressFields.TryParseDevice(addressText, release, out var pf);
            if (pfError is null)
            {
                matcher = new DeviceSpecAddressMatcher(new DeviceSpecAddress(
                    DeviceSpecAddressKind.Glob, pf.Domain, pf.Bus, pf.Slot, pf.Function, IsPhysicalFunction: true));
            }

            return pfError;
        }

        var error = DeviceSpecAddressParser.TryParseGlob(addressText, release, out var fields);
        if (error is null)
        {
            matcher = new DeviceSpecAddressMatcher(DeviceSpecAddressParser.Build(
                DeviceSpecAddressKind.Glob, fields.Domain, fields.Bus, fields.Slot, fields.Function, probe));
        }

        return error;
    }
}
