using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Config;

/// <summary>
/// The parsed <c>[pci] device_spec</c> option of one compute: decides which reported devices may be passed through
/// and which spec's tags they carry (01 §8).
/// </summary>
public sealed class DeviceSpecSet
{
    private readonly IPciHostProbe _probe;
    private readonly NovaRelease _release;

    internal DeviceSpecSet(IReadOnlyList<DeviceSpec> specs, IPciHostProbe probe, NovaRelease release) =>
        (Specs, _probe, _release) = (specs, probe, release);

    /// <summary>In option order, then list order (DS-5). Empty: no device is assignable (DS-6).</summary>
    public IReadOnlyList<DeviceSpec> Specs { get; }

    /// <summary>
    /// The first spec matching <paramref name="device"/> (DS-34): vendor, product, address (with PF → VFs, DS-21, and
    /// devname resolved now, DS-25) and the remote-managed serial rule (DS-29).
    /// </summary>
    /// <param name="device">The reported device.</param>
    /// <param name="findDevice">Finds a reported device by address; under <see cref="NovaRelease.Latest"/> a VF of a
    /// <c>remote_managed</c> spec may use its parent PF's serial. Not needed under Zed.</param>
    /// <returns>A rejection when the device's address (or its parent's, for a PF spec) cannot be parsed (DS-35).</returns>
    /// <exception cref="PciException">Zed only: an address without exactly three <c>:</c>-parts stops the compute
    /// (<c>PciDeviceWrongAddressFormat</c>), as Nova 26 does.</exception>
    public DeviceSpecMatch Match(PciDeviceRecord device, Func<string, PciDeviceRecord?>? findDevice = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        var addresses = new DeviceAddresses(device, _release);
        foreach (var spec in Specs)
        {
            var matcher = spec.Matcher;
            if (matcher is null)
            {
                var resolveError = DevnameResolver.TryResolve(spec.Devname!, _probe, _release, out matcher);
                if (resolveError is not null)
                {
                    return Reject(resolveError);
                }

                if (matcher is null)
                {
                    // DS-35: the one case where the device address is not parsed at all
                    continue;
                }
            }

            // DS-35: the address is parsed as soon as a spec is evaluated, whatever the ids say
            var addressError = addresses.Match(matcher, out var addressMatches);
            if (addressError is not null)
            {
                return Reject(addressError);
            }

            // Nova evaluates every test of a remote-managed spec, so the serial lookup fails even when the ids differ
            if (spec.IsRemoteManaged && device.VpdLookupError is { } type)
            {
                throw new PciException(PciErrorKinds.AttributeError,
                    $"device {device.Address}: '{type}' object has no attribute 'get' (capabilities.vpd.card_serial_number)", novaException: false);
            }

            if (addressMatches && IdMatches(spec.VendorId, device.VendorId) && IdMatches(spec.ProductId, device.ProductId)
                && HasSerialIfRemoteManaged(spec, device, findDevice))
            {
                return DeviceSpecMatch.Matched(spec);
            }
        }

        return DeviceSpecMatch.None;
    }

    /// <summary>
    /// 01 DS-26: with <c>report_in_placement</c> no spec may use <c>devname</c>. The parser checks it under
    /// <see cref="NovaRelease.Latest"/>; a Zed compute checks it when it reports to Placement (scenario-format SIM-50).
    /// </summary>
    public void RejectDevnameForPlacement()
    {
        if (Specs.FirstOrDefault(s => s.HasDevname) is { } spec)
        {
            throw new PciException(DevnameForPlacement(spec));
        }
    }

    internal static PciError DevnameForPlacement(DeviceSpec spec) => new(PciErrorKinds.PlacementPciException,
        $"device_spec {spec.ToJson()} uses devname '{spec.Devname}', which [pci] report_in_placement = true does not " +
        "support; name the device by address instead.");

    private DeviceSpecMatch Reject(PciError error) =>
        error.Kind == PciErrorKinds.PciDeviceWrongAddressFormat && _release == NovaRelease.Zed
            ? throw new PciException(error)
            : DeviceSpecMatch.Rejected(error.Message);

    /// <summary>DS-10: plain equality with the device's 4 lower-case hex digits.</summary>
    private static bool IdMatches(string specId, string deviceId) => specId == DeviceSpec.AnyId || specId == deviceId;

    /// <summary>DS-29: a remote-managed spec only takes devices that have a VPD card serial number.</summary>
    private bool HasSerialIfRemoteManaged(DeviceSpec spec, PciDeviceRecord device, Func<string, PciDeviceRecord?>? findDevice)
    {
        if (!spec.IsRemoteManaged || !string.IsNullOrEmpty(device.CardSerialNumber))
        {
            return true;
        }

        // Zed reads only the device's own serial (scenario-format §6)
        return _release == NovaRelease.Latest && device.DeviceType.IsChild() && device.ParentAddress is { } parent
            && !string.IsNullOrEmpty(findDevice?.Invoke(parent)?.CardSerialNumber);
    }

    /// <summary>The device's own and parent address, each parsed at most once per match.</summary>
    // a struct on the caller's stack: matching thousands of devices at every sync allocates nothing for it
    private struct DeviceAddresses(PciDeviceRecord device, NovaRelease release)
    {
        private (PciError? Error, PciAddressFields Fields)? _own;
        private (PciError? Error, PciAddressFields Fields)? _parent;

        public PciError? Match(DeviceSpecAddressMatcher matcher, out bool matches)
        {
            matches = false;
            if (matcher.Address.IsPhysicalFunction && !string.IsNullOrEmpty(device.ParentAddress))
            {
                // DS-21: a PF spec also selects the PF's children, by their parent address
                _parent ??= Parse(device.ParentAddress);
                if (_parent.Value.Error is { } parentError)
                {
                    return parentError;
                }

                if (matcher.Matches(_parent.Value.Fields))
                {
                    matches = true;
                    return null;
                }
            }

            _own ??= Parse(device.Address);
            if (_own.Value.Error is { } ownError)
            {
                return ownError;
            }

            matches = matcher.Matches(_own.Value.Fields);
            return null;
        }

        private readonly (PciError?, PciAddressFields) Parse(string text)
        {
            var error = PciAddressFields.TryParseDevice(text, release, out var fields);
            return (error, fields);
        }
    }
}
