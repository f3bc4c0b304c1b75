using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// How Python reads the text of extra specs and image properties: <c>int()</c>, <c>str.strip()</c>,
/// <c>str.isdigit()</c> and oslo's <c>bool_from_string</c>. Nova's answers depend on these exact rules
/// (<c>" +1_0 "</c> is the integer 10, <c>"01"</c> is not "int-like").
/// </summary>
internal static partial class PythonText
{
    private static readonly string[] _trueWords = ["1", "t", "true", "on", "y", "yes"];
    private static readonly string[] _falseWords = ["0", "f", "false", "off", "n", "no"];

    /// <summary>Python's <c>str.isspace()</c>: .NET whitespace plus the four ASCII separators 0x1C–0x1F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    public static string Strip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>Python's <c>int(text)</c> in base 10 (<see cref="IntegerText"/>); values beyond 64 bits saturate.</summary>
    public static bool TryParseInt(string text, out long value) => IntegerText.TryParseSaturated(text, out value);

    /// <summary>oslo's <c>is_int_like</c>: <c>str(int(x)) == x</c>, i.e. canonical base-10 text of any length
    /// (Python's integers have no limit, so the test must not go through a 64-bit value).</summary>
    public static bool IsIntLike(string text) => CanonicalInteger().IsMatch(text);

    /// <summary>Python's <c>str.isdigit()</c>: non-empty and every character has a digit value — decimal digits of any
    /// script (also outside the BMP) and digits such as <c>²</c> or <c>①</c>, which <c>int()</c> then refuses.</summary>
    public static bool IsDigits(string text)
    {
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            if (CharUnicodeInfo.GetDigitValue(text, i) < 0)
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    /// <summary>
    /// The text as a .NET regex must see it to answer like Python's <c>re</c> on a pattern with <c>\d</c>: Python
    /// matches code points, .NET UTF-16 units, so a decimal digit outside the BMP (<c>𝟐</c>) is one <c>\d</c> for
    /// Python and two unmatched surrogates for .NET. Such digits become the ASCII digit of the same value.
    /// </summary>
    public static string WithBmpDigits(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }

        var mapped = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!rune.IsBmp && Rune.IsDigit(rune))
            {
                mapped.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else
            {
                mapped.Append(rune.ToString());
            }
        }

        return mapped.ToString();
    }

    /// <summary>
    /// Python's <c>str.lower()</c>: .NET's invariant lower-casing plus the two rules it lacks — <c>İ</c> (U+0130)
    /// becomes <c>i̇</c> (two code points), and <c>Σ</c> ending a word becomes <c>ς</c>.
    /// </summary>
    public static string Lower(string text)
    {
        var lower = text.ToLowerInvariant();
        if (Ascii.IsValid(lower))
        {
            return lower;
        }

        var result = new StringBuilder(lower.Length + 2);
        for (var i = 0; i < text.Length; i++)
        {
            result.Append(text[i] switch
            {
                '\u0130' => "i\u0307",
                '\u03A3' => IsFinalSigma(text, i) ? "\u03C2" : "\u03C3",
                _ => lower[i].ToString(),
            });
        }

        return result.ToString();
    }

    /// <summary>Unicode's Final_Sigma: a cased letter before (case-ignorable characters skipped), none after.</summary>
    private static bool IsFinalSigma(string text, int i)
    {
        var before = text.AsSpan(0, i);
        var rune = Rune.ReplacementChar;
        while (Rune.DecodeLastFromUtf16(before, out rune, out var width) == OperationStatus.Done && IsCaseIgnorable(rune))
        {
            before = before[..^width];
        }

        if (before.IsEmpty || !IsCased(rune))
        {
            return false;
        }

        var after = text.AsSpan(i + 1);
        while (Rune.DecodeFromUtf16(after, out rune, out var width) == OperationStatus.Done && IsCaseIgnorable(rune))
        {
            after = after[width..];
        }

        return after.IsEmpty || !IsCased(rune);
    }

    /// <summary>Unicode's Cased: has a case mapping or is a cased letter (ª and º are lower-case letters without one).</summary>
    private static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        || Rune.ToUpperInvariant(rune) != rune || Rune.ToLowerInvariant(rune) != rune || rune.Value is 0xAA or 0xBA;

    /// <summary>Unicode's Case_Ignorable: marks, format and modifier characters, and the word-internal punctuation.</summary>
    private static bool IsCaseIgnorable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || rune.Value is '\'' or '.' or ':' or 0xB7 or 0x387 or 0x2018 or 0x2019 or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55
            or 0xFF07 or 0xFF0E or 0xFF1A;

    /// <summary>oslo's lenient <c>bool_from_string</c>: a true word, else false.</summary>
    public static bool IsTrueWord(string text) => _trueWords.Contains(Strip(text).ToLowerInvariant());

    /// <summary>oslo's <c>bool_from_string(strict=True)</c>: a true or false word, else no value.</summary>
    public static bool? ParseStrictBool(string text)
    {
        var word = Strip(text).ToLowerInvariant();
        return _trueWords.Contains(word) ? true : _falseWords.Contains(word) ? false : null;
    }

    /// <summary>The accepted boolean words, for error messages.</summary>
    public static string BoolWords => string.Join(", ", _trueWords.Concat(_falseWords).Order(StringComparer.Ordinal));

    [GeneratedRegex(@"^(0|-?[1-9][0-9]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex CanonicalInteger();
}
