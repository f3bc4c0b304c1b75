using System.Text;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// "Integer text" as Python's <c>int(str)</c> reads it (scenario-format SIM-30): optional surrounding whitespace, an
/// optional sign, decimal digits (any Unicode decimal digit) with single <c>_</c> allowed between two digits — <c>" +1_0 "</c> is 10.
/// </summary>
public static class IntegerText
{
    /// <summary>Python's <c>str.strip()</c> set as far as it differs from .NET's white space.</summary>
    private const string ExtraWhiteSpace = "\u001c\u001d\u001e\u001f";

    public static bool TryParse(string? text, out long value)
    {
        value = 0;
        var span = text.AsSpan().Trim().Trim(ExtraWhiteSpace).Trim();
        var negative = span is ['-', ..];
        if (span is ['+' or '-', ..])
        {
            span = span[1..];
        }

        if (span.IsEmpty || span[0] == '_' || span[^1] == '_')
        {
            return false;
        }

        // Python's int() takes any Unicode decimal digit ("\u0663" is 3), also outside the BMP.
        long magnitude = 0;
        var previousUnderscore = false;
        foreach (var rune in span.EnumerateRunes())
        {
            if (rune.Value == '_')
            {
                if (previousUnderscore)
                {
                    return false;
                }

                previousUnderscore = true;
                continue;
            }

            previousUnderscore = false;
            if (!Rune.IsDigit(rune))
            {
                return false;
            }

            var digit = (long)Rune.GetNumericValue(rune);
            if (magnitude > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        value = negative ? -magnitude : magnitude;
        return true;
    }
}
