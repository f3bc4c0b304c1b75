using System.Globalization;
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
        if (TryCanonical(text, out fields))
        {
            return null;
        }

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

    private const string ZeroDomain = "0000";
    private static readonly string[] _functions = ["0", "1", "2", "3", "4", "5", "6", "7"];

    // "00"…"ff": a bus or slot field is one of these, so parsing a reported address allocates no string for them
    private static readonly string[] _hexPairs = [.. Enumerable.Range(0, 256).Select(i => i.ToString("x2", CultureInfo.InvariantCulture))];

    /// <summary>
    /// What hypervisors report, <c>dddd:bb:ss.f</c> in lower-case hex within the limits, is already normalised: its
    /// fields are the text's own (a host's thousands of devices are parsed at every sync).
    /// </summary>
    private static bool TryCanonical(string text, out PciAddressFields fields)
    {
        fields = default;
        if (text.Length != 12 || text[4] != ':' || text[7] != ':' || text[10] != '.' || text[11] is < '0' or > '7'
            || text[8] is not ('0' or '1'))
        {
            return false;
        }

        foreach (var at in (ReadOnlySpan<int>)[0, 1, 2, 3, 5, 6, 8, 9])
        {
            if (!char.IsAsciiHexDigitLower(text[at]))
            {
                return false;
            }
        }

        var domain = text.AsSpan(0, 4).SequenceEqual(ZeroDomain) ? ZeroDomain : text[..4];
        fields = new PciAddressFields(domain, HexPair(text, 5), HexPair(text, 8), _functions[text[11] - '0']);
        return true;
    }

    private static string HexPair(string text, int at) => _hexPairs[(HexDigit(text[at]) << 4) | HexDigit(text[at + 1])];

    private static int HexDigit(char digit) => digit <= '9' ? digit - '0' : digit - 'a' + 10;
}
