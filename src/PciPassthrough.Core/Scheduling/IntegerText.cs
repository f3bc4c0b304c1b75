using System.Globalization;
using System.Numerics;
using System.Text;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// "Integer text" as Python's <c>int(str)</c> reads it (scenario-format SIM-30): optional surrounding whitespace, an
/// optional sign, decimal digits (any Unicode decimal digit) with single <c>_</c> allowed between two digits — <c>" +1_0 "</c> is 10.
/// Python's integers have no bound, so neither has the exact form.
/// </summary>
public static class IntegerText
{
    public static bool TryParse(string? text, out BigInteger value)
    {
        value = BigInteger.Zero;
        // int() skips Unicode white space, but not the separators U+001C…U+001F that str.strip() and
        // str.isspace() count: exactly .NET's white space
        var body = text.AsSpan().Trim();
        var negative = body is ['-', ..];
        if (body is ['+' or '-', ..])
        {
            body = body[1..];
        }

        if (body.IsEmpty || body[0] == '_' || body[^1] == '_')
        {
            return false;
        }

        // Python's int() takes any Unicode decimal digit ("\u0663" is 3), also outside the BMP.
        var digits = new StringBuilder(body.Length);
        var previousUnderscore = false;
        foreach (var rune in body.EnumerateRunes())
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

            digits.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
        }

        var magnitude = BigInteger.Parse(digits.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
        value = negative ? -magnitude : magnitude;
        return true;
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/> clamped like <see cref="Saturated"/>: a pool's count can
    /// be saturated already (a huge negative alias count raises it), and a sum of counts is only compared with 64-bit
    /// quantities.</summary>
    public static long SaturatedAdd(long a, long b)
    {
        var sum = unchecked(a + b);
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? -long.MaxValue : long.MaxValue) : Math.Clamp(sum, -long.MaxValue, long.MaxValue);
    }

    /// <summary>The same, with magnitudes past <see cref="long.MaxValue"/> saturated (for values that are only compared
    /// with 64-bit quantities, where any larger magnitude gives the same answer).</summary>
    public static bool TryParseSaturated(string? text, out long value)
    {
        var parsed = TryParse(text, out BigInteger exact);
        value = Saturated(exact);
        return parsed;
    }

    /// <summary><paramref name="value"/> clamped to ±<see cref="long.MaxValue"/>.</summary>
    public static long Saturated(BigInteger value) =>
        value > long.MaxValue ? long.MaxValue : value < -long.MaxValue ? -long.MaxValue : (long)value;
}
