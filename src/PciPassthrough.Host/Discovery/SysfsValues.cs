using System.Globalization;

namespace PciPassthrough.Host.Discovery;

/// <summary>The number forms sysfs writes: decimal counts, hex ids with or without <c>0x</c>.</summary>
internal static class SysfsValues
{
    /// <summary>Parses hex digits, optionally after <c>0x</c>; unsigned, so no text ever reads as negative.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> text, out ulong value)
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseInt(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>Whether <paramref name="name"/> is <paramref name="prefix"/> followed by decimal digits only
    /// (<c>virtfn12</c>, <c>vdpa0</c>).</summary>
    public static bool IsNumbered(string name, string prefix) =>
        name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal)
        && !name.AsSpan(prefix.Length).ContainsAnyExceptInRange('0', '9');
}
