using System.Globalization;

namespace PciPassthrough.Core.Pci;

/// <summary>A PCI address as sysfs writes it: <c>dddd:bb:ss.f</c> in hex.</summary>
/// <remarks>The range limits are those of 01 DS-11: domain ≤ ffff, bus ≤ ff, slot ≤ 1f, function ≤ 7.</remarks>
public readonly record struct PciAddress : IComparable<PciAddress>
{
    public const int MaxDomain = 0xFFFF, MaxBus = 0xFF, MaxSlot = 0x1F, MaxFunction = 0x7;

    private PciAddress(ushort domain, byte bus, byte slot, byte function) =>
        (Domain, Bus, Slot, Function) = (domain, bus, slot, function);

    public ushort Domain { get; }
    public byte Bus { get; }
    public byte Slot { get; }
    public byte Function { get; }

    public static PciAddress Parse(string text) => TryParse(text, out var address) ? address : throw new FormatException(
        $"'{text}' is not a PCI address: expected dddd:bb:ss.f in hex (e.g. 0000:81:00.1), slot <= 1f, function <= 7.");

    /// <summary>Parses the exact sysfs form, case-insensitively.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PciAddress address)
    {
        address = default;
        if (text is not [_, _, _, _, ':', _, _, ':', _, _, '.', _]
            || !TryHex(text[..4], out var domain) || !TryHex(text[5..7], out var bus)
            || !TryHex(text[8..10], out var slot) || !TryHex(text[11..], out var function)
            || slot > MaxSlot || function > MaxFunction)
        {
            return false;
        }

        address = new PciAddress((ushort)domain, (byte)bus, (byte)slot, (byte)function);
        return true;
    }

    public int CompareTo(PciAddress other) =>
        (Domain, Bus, Slot, Function).CompareTo((other.Domain, other.Bus, other.Slot, other.Function));

    public override string ToString() => $"{Domain:x4}:{Bus:x2}:{Slot:x2}.{Function:x1}";

    private static bool TryHex(ReadOnlySpan<char> digits, out int value) =>
        int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
}
