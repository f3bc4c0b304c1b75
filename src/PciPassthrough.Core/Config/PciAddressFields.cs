using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Core.Config;

/// <summary>The four normalised fields of one address, each <c>*</c> or zero-padded lower-case hex.</summary>
internal readonly record struct PciAddressFields(string Domain, string Bus, string Slot, string Function)
{
    /// <summary>
    /// Parses an address the hypervisor reported (01 DS-35): exactly <c>domain:bus:slot.function</c>, each field
    /// hex within the DS-11 limits. A failure is the error the device is skipped with; a wrong number of
    /// <c>:</c>-parts is <c>PciDeviceWrongAddressFormat</c>, anything else <c>PciConfigInvalidSpec</c>.
    /// </summary>
    public static PciError? TryParseDevice(string text, NovaRelease release, out PciAddressFields fields)
    {
        fields = default;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var (dbs, function) = dot < 0 ? (text, "") : (text[..dot], text[(dot + 1)..]);
        var parts = dbs.Split(':');
        if (parts.Length != 3)
        {
            return new PciError(PciErrorKinds.PciDeviceWrongAddressFormat,
                $"PCI address '{text}' is not in the form domain:bus:slot.function.");
        }

        var error = HexField.TryNormalize("func", function, PciAddress.MaxFunction, 1, release, out function)
            ?? HexField.TryNormalize("domain", parts[0], PciAddress.MaxDomain, 4, release, out parts[0])
            ?? HexField.TryNormalize("bus", parts[1], PciAddress.MaxBus, 2, release, out parts[1])
            ?? HexField.TryNormalize("slot", parts[2], PciAddress.MaxSlot, 2, release, out parts[2]);
        if (error is null)
        {
            fields = new PciAddressFields(parts[0], parts[1], parts[2], function);
        }

        return error;
    }
}
