using System.Globalization;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Config;

/// <summary>
/// One hexadecimal field of a <c>device_spec</c> (01 DS-8, DS-13): <c>*</c> or hex digits with an optional
/// <c>0x</c> prefix, range-checked, normalised to lower-case zero-padded hex.
/// </summary>
/// <remarks>
/// Deliberate deviation (01 §2 "Nova quirks"): Nova's parser also takes <c>_</c> between digits and a sign; we reject
/// both as "not hex".
/// </remarks>
internal static class HexField
{
    public const string Any = "*";

    /// <summary>
    /// Normalises <paramref name="text"/> (trimmed first) to <paramref name="width"/> hex digits, or returns the
    /// <c>PciConfigInvalidSpec</c> error naming <paramref name="field"/>. <c>*</c> stays <c>*</c>.
    /// </summary>
    public static PciError? TryNormalize(string field, string text, int max, int width, out string normalized)
    {
        normalized = text;
        if (text == Any)
        {
            return null;
        }

        if (!TryParse(text, out var value))
        {
            return new PciError(PciErrorKinds.PciConfigInvalidSpec,
                $"property {field} ('{text}') does not parse as a hex number; expected '*' or hex digits " +
                $"(optionally prefixed by 0x) up to {max:X}.");
        }

        if (value > max)
        {
            return new PciError(PciErrorKinds.PciConfigInvalidSpec,
                $"property {field} ({text}) is greater than the maximum allowable value ({max:X}).");
        }

        normalized = ((int)value).ToString("x" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return null;
    }

    /// <summary>Hex digits after trimming and an optional 0x; values past <see cref="long.MaxValue"/> saturate.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        text = text.Trim();
        if (text.Length > 2 && text[0] == '0' && text[1] is 'x' or 'X')
        {
            text = text[2..];
        }

        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }

            long digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
            value = value > (long.MaxValue - digit) / 16 ? long.MaxValue : (value * 16) + digit;
        }

        return true;
    }
}
