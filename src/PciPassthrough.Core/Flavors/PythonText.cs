using System.Buffers;
using System.Collections.Frozen;
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
    /// becomes <c>i̇</c> (two code points), and <c>Σ</c> ending a word becomes <c>ς</c> — without the mappings of letters
    /// newer than Python's Unicode.
    /// </summary>
    public static string Lower(string text)
    {
        var lower = text.ToLowerInvariant();
        if (Ascii.IsValid(lower))
        {
            return lower;
        }

        var result = new StringBuilder(lower.Length + 2);
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            var rune = Rune.GetRuneAt(text, i);
            result.Append(rune.Value switch
            {
                0x130 => "i\u0307",
                0x3A3 => IsFinalSigma(text, i) ? "\u03C2" : "\u03C3",
                _ => (IsNewerCasedLetter(rune) ? rune : Rune.ToLowerInvariant(rune)).ToString(),
            });
        }

        return result.ToString();
    }

    /// <summary>
    /// Python's <c>str.upper()</c>: the full mappings of Unicode's SpecialCasing (<c>ß</c> → <c>SS</c>, <c>ﬁ</c> →
    /// <c>FI</c>, <c>ΐ</c> → three code points, …), <c>ı</c> → <c>I</c> and <c>ſ</c> → <c>S</c> (which .NET's invariant
    /// casing leaves), else .NET's invariant mapping — without the mappings of letters newer than Python's Unicode.
    /// </summary>
    public static string Upper(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text.ToUpperInvariant();
        }

        var result = new StringBuilder(text.Length + 4);
        foreach (var rune in text.EnumerateRunes())
        {
            result.Append(_fullUpper.TryGetValue(rune.Value, out var mapped) ? mapped
                : (IsNewerCasedLetter(rune) ? rune : Rune.ToUpperInvariant(rune)).ToString());
        }

        return result.ToString();
    }

    // Python 3.11 (Nova's) knows Unicode 14: these letters got their case pairs in Unicode 15 and 16, which .NET maps
    private static bool IsNewerCasedLetter(Rune rune) => rune.Value is 0x19B or 0x264 or 0x1C89 or 0x1C8A
        or (>= 0xA7CB and <= 0xA7CD) or (>= 0xA7DA and <= 0xA7DC) or (>= 0x10D50 and <= 0x10D65) or (>= 0x10D70 and <= 0x10D85);

    // every code point whose Python upper() is not one code point, plus ı and ſ, as "code point=upper;" (printed by
    // CPython 3.11)
    private static readonly FrozenDictionary<int, string> _fullUpper = FullUpperMappings(
        "\u00DF=SS;\u0131=I;\u0149=\u02BCN;\u017F=S;\u01F0=J\u030C;\u0390=\u0399\u0308\u0301;" +
        "\u03B0=\u03A5\u0308\u0301;\u0587=\u0535\u0552;\u1E96=H\u0331;\u1E97=T\u0308;\u1E98=W\u030A;" +
        "\u1E99=Y\u030A;\u1E9A=A\u02BE;\u1F50=\u03A5\u0313;\u1F52=\u03A5\u0313\u0300;" +
        "\u1F54=\u03A5\u0313\u0301;\u1F56=\u03A5\u0313\u0342;\u1F80=\u1F08\u0399;\u1F81=\u1F09\u0399;" +
        "\u1F82=\u1F0A\u0399;\u1F83=\u1F0B\u0399;\u1F84=\u1F0C\u0399;\u1F85=\u1F0D\u0399;" +
        "\u1F86=\u1F0E\u0399;\u1F87=\u1F0F\u0399;\u1F88=\u1F08\u0399;\u1F89=\u1F09\u0399;" +
        "\u1F8A=\u1F0A\u0399;\u1F8B=\u1F0B\u0399;\u1F8C=\u1F0C\u0399;\u1F8D=\u1F0D\u0399;" +
        "\u1F8E=\u1F0E\u0399;\u1F8F=\u1F0F\u0399;\u1F90=\u1F28\u0399;\u1F91=\u1F29\u0399;" +
        "\u1F92=\u1F2A\u0399;\u1F93=\u1F2B\u0399;\u1F94=\u1F2C\u0399;\u1F95=\u1F2D\u0399;" +
        "\u1F96=\u1F2E\u0399;\u1F97=\u1F2F\u0399;\u1F98=\u1F28\u0399;\u1F99=\u1F29\u0399;" +
        "\u1F9A=\u1F2A\u0399;\u1F9B=\u1F2B\u0399;\u1F9C=\u1F2C\u0399;\u1F9D=\u1F2D\u0399;" +
        "\u1F9E=\u1F2E\u0399;\u1F9F=\u1F2F\u0399;\u1FA0=\u1F68\u0399;\u1FA1=\u1F69\u0399;" +
        "\u1FA2=\u1F6A\u0399;\u1FA3=\u1F6B\u0399;\u1FA4=\u1F6C\u0399;\u1FA5=\u1F6D\u0399;" +
        "\u1FA6=\u1F6E\u0399;\u1FA7=\u1F6F\u0399;\u1FA8=\u1F68\u0399;\u1FA9=\u1F69\u0399;" +
        "\u1FAA=\u1F6A\u0399;\u1FAB=\u1F6B\u0399;\u1FAC=\u1F6C\u0399;\u1FAD=\u1F6D\u0399;" +
        "\u1FAE=\u1F6E\u0399;\u1FAF=\u1F6F\u0399;\u1FB2=\u1FBA\u0399;\u1FB3=\u0391\u0399;" +
        "\u1FB4=\u0386\u0399;\u1FB6=\u0391\u0342;\u1FB7=\u0391\u0342\u0399;\u1FBC=\u0391\u0399;" +
        "\u1FC2=\u1FCA\u0399;\u1FC3=\u0397\u0399;\u1FC4=\u0389\u0399;\u1FC6=\u0397\u0342;" +
        "\u1FC7=\u0397\u0342\u0399;\u1FCC=\u0397\u0399;\u1FD2=\u0399\u0308\u0300;" +
        "\u1FD3=\u0399\u0308\u0301;\u1FD6=\u0399\u0342;\u1FD7=\u0399\u0308\u0342;" +
        "\u1FE2=\u03A5\u0308\u0300;\u1FE3=\u03A5\u0308\u0301;\u1FE4=\u03A1\u0313;\u1FE6=\u03A5\u0342;" +
        "\u1FE7=\u03A5\u0308\u0342;\u1FF2=\u1FFA\u0399;\u1FF3=\u03A9\u0399;\u1FF4=\u038F\u0399;" +
        "\u1FF6=\u03A9\u0342;\u1FF7=\u03A9\u0342\u0399;\u1FFC=\u03A9\u0399;\uFB00=FF;\uFB01=FI;\uFB02=FL;" +
        "\uFB03=FFI;\uFB04=FFL;\uFB05=ST;\uFB06=ST;\uFB13=\u0544\u0546;\uFB14=\u0544\u0535;" +
        "\uFB15=\u0544\u053B;\uFB16=\u054E\u0546;\uFB17=\u0544\u053D");

    private static FrozenDictionary<int, string> FullUpperMappings(string pairs) => pairs.Split(';')
        .ToFrozenDictionary(pair => char.ConvertToUtf32(pair, 0), pair => pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);

    /// <summary>Unicode's Final_Sigma: a cased letter before (case-ignorable characters skipped), none after.</summary>
    private static bool IsFinalSigma(string text, int i)
    {
        var before = text.AsSpan(0, i);
        Rune rune;
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
