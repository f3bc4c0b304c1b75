namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// "Integer text" as Python's <c>int(str)</c> reads it (scenario-format SIM-30): optional surrounding whitespace, an
/// optional sign, decimal digits with single <c>_</c> allowed between two digits — <c>" +1_0 "</c> is 10.
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

        if (span.IsEmpty || !char.IsAsciiDigit(span[0]) || !char.IsAsciiDigit(span[^1]))
        {
            return false;
        }

        long magnitude = 0;
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c == '_' && span[i - 1] != '_')
            {
                continue;
            }

            var digit = c - '0';
            if (!char.IsAsciiDigit(c) || magnitude > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        value = negative ? -magnitude : magnitude;
        return true;
    }
}
