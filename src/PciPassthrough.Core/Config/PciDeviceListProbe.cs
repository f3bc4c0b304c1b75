using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Config;

/// <summary>
/// Answers the <c>device_spec</c> host questions from a list of reported devices instead of sysfs
/// (scenario-format §2.4): simulations and tests use it. Addresses are compared lower-cased.
/// </summary>
public sealed class PciDeviceListProbe : IPciHostProbe
{
    private readonly IReadOnlyList<PciDeviceRecord> _devices;
    private readonly Dictionary<string, PciDeviceRecord> _byAddress = new(StringComparer.Ordinal);

    public PciDeviceListProbe(IEnumerable<PciDeviceRecord> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        _devices = [.. devices];
        foreach (var device in _devices)
        {
            _byAddress.TryAdd(device.Address.ToLowerInvariant(), device);
        }
    }

    /// <summary>A device with that address and type <c>type-PF</c> exists.</summary>
    public bool IsPhysicalFunction(string addressText) =>
        Find(addressText) is { DeviceType: PciDeviceType.PhysicalFunction };

    /// <summary>The first device, in list order, whose <see cref="PciDeviceRecord.Netdev"/> is <paramref name="ifname"/>.</summary>
    public string? FindFunctionByNetdev(string ifname) =>
        _devices.FirstOrDefault(d => d.Netdev is not null && d.Netdev == ifname)?.Address.ToLowerInvariant();

    public (string VendorId, string ProductId)? GetIds(string addressText) =>
        Find(addressText) is { } device ? (device.VendorId.ToLowerInvariant(), device.ProductId.ToLowerInvariant()) : null;

    /// <summary>The PF's <see cref="PciDeviceRecord.VfProductId"/>, else the product of its first listed VF; null if not a PF.</summary>
    /// <exception cref="PciException"><c>AttributeError</c> for a truthy <c>vf_product_id</c> that is no string, which
    /// Nova lower-cases.</exception>
    public string? GetVfProductId(string pfAddressText)
    {
        if (Find(pfAddressText) is not { DeviceType: PciDeviceType.PhysicalFunction } pf)
        {
            return null;
        }

        if (pf.VfProductIdError is { } type)
        {
            throw new PciException(PciErrorKinds.AttributeError,
                $"device {pf.Address}: '{type}' object has no attribute 'lower' (vf_product_id)", novaException: false);
        }

        var address = pf.Address.ToLowerInvariant();
        var vfProductId = string.IsNullOrEmpty(pf.VfProductId)
            ? _devices.FirstOrDefault(d => string.Equals(d.ParentAddress, address, StringComparison.OrdinalIgnoreCase))?.ProductId
            : pf.VfProductId;
        return vfProductId?.ToLowerInvariant();
    }

    private PciDeviceRecord? Find(string addressText) => _byAddress.GetValueOrDefault(addressText.ToLowerInvariant());
}
