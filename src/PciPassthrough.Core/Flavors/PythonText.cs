using System.Text.RegularExpressions;

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

    /// <summary>
    /// Python's <c>int(text)</c> in base 10: surrounding whitespace, one optional sign, decimal digits (any
    /// script) with single underscores between digits. Values beyond 64 bits saturate.
    /// </summary>
    public static bool TryParseInt(string text, out long value)
    {
        value = 0;
        var body = Strip(text);
        var negative = body.StartsWith('-');
        if (body.StartsWith('-') || body.StartsWith('+'))
        {
            body = body[1..];
        }

        if (body.Length == 0 || body[0] == '_' || body[^1] == '_' || body.Contains("__", StringComparison.Ordinal))
        {
            return false;
        }

        var magnitude = 0L;
        foreach (var c in body)
        {
            if (c == '_')
            {
                continue;
            }

            if (!char.IsDigit(c))
            {
                return false;
            }

            var digit = (long)char.GetNumericValue(c);
            magnitude = magnitude > (long.MaxValue - digit) / 10 ? long.MaxValue : (magnitude * 10) + digit;
        }

        value = negative ? -magnitude : magnitude;
        return true;
    }

    /// <summary>oslo's <c>is_int_like</c>: <c>str(int(x)) == x</c>, i.e. canonical base-10 text of any length
    /// (Python's integers have no limit, so the test must not go through a 64-bit value).</summary>
    public static bool IsIntLike(string text) => CanonicalInteger().IsMatch(text);

    /// <summary>Python's <c>str.isdigit()</c> for the scripts .NET knows: non-empty and every character a decimal digit.</summary>
    public static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsDigit);

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
