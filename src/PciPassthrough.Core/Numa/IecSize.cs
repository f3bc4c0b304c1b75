using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PciPassthrough.Core.Flavors;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// oslo's <c>string_to_bytes</c> in the IEC system, as Nova reads <c>hw:mem_page_size</c>: a decimal number, an
/// optional <c>K</c>/<c>M</c>/<c>G</c>/<c>T</c> (with or without <c>i</c>, powers of 1024) and a mandatory
/// <c>B</c> (bytes) or <c>b</c>/<c>bit</c> (bits).
/// </summary>
internal static partial class IecSize
{
    /// <summary>The size in bytes, rounded up to a whole byte; null when the text is not a size.</summary>
    public static double? TryParseBytes(string text)
    {
        var match = SizePattern().Match(PythonText.WithBmpDigits(text));
        if (!match.Success)
        {
            return null;
        }

        var digits = new StringBuilder();
        foreach (var c in match.Groups["number"].Value)
        {
            digits.Append(char.IsDigit(c) ? (char)('0' + (int)char.GetNumericValue(c)) : c);
        }

        var magnitude = double.Parse(digits.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (match.Groups["unit"].Value is "b" or "bit")
        {
            magnitude /= 8;
        }

        var exponent = match.Groups["prefix"].Value switch
        {
            "" => 0,
            var prefix => "KMGT".IndexOf(prefix[0], StringComparison.Ordinal) + 1,
        };
        return Math.Ceiling(magnitude * Math.Pow(1024, exponent));
    }

    // Python's re.match with `$`: anchored at the start, and `$` also matches before one final newline.
    [GeneratedRegex(@"\A(?<number>[-+]?\d*\.?\d+)(?<prefix>[KMGT]i?)?(?<unit>b|bit|B)(?=\n?\z)", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
