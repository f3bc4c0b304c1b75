using System.Globalization;
using System.Text;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Config;

/// <summary>
/// One hexadecimal field of a <c>device_spec</c> (01 DS-8, DS-13): <c>*</c> or hex digits with an optional
/// <c>0x</c> prefix, range-checked, normalised to lower-case zero-padded hex.
/// </summary>
/// <remarks>
/// Nova reads the digits with Python's <c>int(text, 16)</c>, which also takes a sign and <c>_</c> between digits and
/// never range-checks a negative value (<c>-1</c> becomes <c>-001</c>). Zed reproduces that; Latest rejects both as
/// "not hex", a deliberate deviation (01 §2 "Nova quirks").
/// </remarks>
internal static class HexField
{
    public const string Any = "*";

    // Python's str.strip() also removes these separators, which .NET does not count as white space
    private const string ExtraWhiteSpace = "\u001c\u001d\u001e\u001f";

    /// <summary>
    /// Normalises <paramref name="text"/> to <paramref name="width"/> hex digits, or returns the
    /// <c>PciConfigInvalidSpec</c> error naming <paramref name="field"/>. <c>*</c> stays <c>*</c>.
    /// </summary>
    public static PciError? TryNormalize(
        string field, string text, int max, int width, NovaRelease release, out string normalized)
    {
        normalized = text;
        // 01 DS-12: only a whole field is a wildcard; "0*" fails as not hex below
        if (text == Any)
        {
            return null;
        }

        if (!TryParse(text, release == NovaRelease.Zed, out var value))
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

        var digits = Math.Abs(value).ToString("x", CultureInfo.InvariantCulture);
        normalized = value < 0 ? "-" + digits.PadLeft(width - 1, '0') : digits.PadLeft(width, '0');
        return null;
    }

    /// <summary>
    /// Hex digits after trimming and an optional <c>0x</c>; with <paramref name="python"/> also a sign and single
    /// <c>_</c> separators. Magnitudes past <see cref="long.MaxValue"/> saturate.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, bool python, out long value)
    {
        value = 0;
        if (python)
        {
            text = AsciiDigits(text);
        }

        text = text.Trim();
        if (python)
        {
            text = text.Trim(ExtraWhiteSpace).Trim();
        }

        var negative = python && text is ['-', ..];
        if (python && text is ['+' or '-', ..])
        {
            text = text[1..];
        }

        var prefixed = text is ['0', 'x' or 'X', ..];
        if (prefixed)
        {
            text = text[2..];
        }

        if (python && prefixed && text is ['_', ..])
        {
            // int('0x_1f', 16) is valid
            text = text[1..];
        }

        if (text.IsEmpty || !char.IsAsciiHexDigit(text[^1]))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (python && c == '_' && i > 0 && char.IsAsciiHexDigit(text[i - 1]))
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }

            long digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
            value = value > (long.MaxValue - digit) / 16 ? long.MaxValue : (value * 16) + digit;
        }

        value = negative ? -value : value;
        return true;
    }

    /// <summary>
    /// Python's <c>int()</c> first turns every Unicode decimal digit into its ASCII digit (<c>"\uff18"</c> is 8), so
    /// <c>int("\uff18\uff10\uff18\uff16", 16)</c> is 0x8086; letters stay as they are (only ASCII a–f are hex).
    /// </summary>
    private static ReadOnlySpan<char> AsciiDigits(ReadOnlySpan<char> text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }

        var ascii = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsDigit(rune))
            {
                ascii.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else
            {
                ascii.Append(rune.ToString());
            }
        }

        return ascii.ToString();
    }
}
