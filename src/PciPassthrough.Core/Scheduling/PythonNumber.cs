using System.Globalization;
using System.Numerics;

namespace PciPassthrough.Core.Scheduling;

/// <summary>
/// A number as the reference (Python) holds it: an int of any size or a float. Capacity figures of the Placement
/// check (SIM-46) need both: an integral allocation ratio is an int there, so <c>(total − reserved) × ratio − used</c>
/// is an exact integer of any size (a ratio of 1e308 on 4 CPUs leaves a 309-digit integer free, not infinity); any
/// other ratio (fractional, or infinite from a literal past the double range) keeps float arithmetic, rounding included.
/// </summary>
public readonly record struct PythonNumber
{
    private readonly BigInteger _integer;
    private readonly double _float;

    private PythonNumber(BigInteger integer, double value, bool isFloat) => (_integer, _float, IsFloat) = (integer, value, isFloat);

    /// <summary>A Python float (<see cref="Float"/>), else an int (<see cref="Integer"/>).</summary>
    public bool IsFloat { get; }

    /// <summary>The exact value of an int; only meaningful when not <see cref="IsFloat"/>.</summary>
    public BigInteger Integer => _integer;

    /// <summary>The value of a float; only meaningful when <see cref="IsFloat"/>.</summary>
    public double Float => _float;

    public static PythonNumber Of(BigInteger value) => new(value, 0, isFloat: false);

    public static PythonNumber Of(long value) => Of((BigInteger)value);

    public static PythonNumber Of(double value) => new(BigInteger.Zero, value, isFloat: true);

    /// <summary><c>units × ratio</c>: exact for an integral ratio, else a float product (Python's <c>int * float</c>).</summary>
    public static PythonNumber Product(BigInteger units, double ratio) =>
        double.IsInteger(ratio) ? Of(units * new BigInteger(ratio)) : Of(ToDouble(units) * ratio);

    public PythonNumber Minus(BigInteger value) => IsFloat ? Of(_float - ToDouble(value)) : Of(_integer - value);

    /// <summary>Python's <c>self == value</c> (<c>-2.0 == -2</c>).</summary>
    public bool IsEqualTo(long value) => IsFloat ? _float == value : _integer == value;

    /// <summary>Python's <c>int(self)</c>: floats are truncated toward zero.</summary>
    /// <exception cref="OverflowException">For an infinite or NaN float, as Python raises.</exception>
    public BigInteger Truncated() => IsFloat ? new BigInteger(Math.Truncate(_float)) : _integer;

    /// <summary>Python's <c>value &gt; self</c> for an int value: exact, also against a float (NaN is never exceeded).</summary>
    public bool IsExceededBy(BigInteger value)
    {
        if (!IsFloat)
        {
            return value > _integer;
        }

        if (double.IsNaN(_float) || double.IsInfinity(_float))
        {
            return double.IsNegativeInfinity(_float);
        }

        // an integer exceeds x exactly when it exceeds floor(x)
        return value > new BigInteger(Math.Floor(_float));
    }

    /// <summary>The value as the reference writes it (integral floats as ints): digits, a float, or
    /// <c>Infinity</c>/<c>-Infinity</c>/<c>NaN</c>.</summary>
    public override string ToString() =>
        !IsFloat ? _integer.ToString(CultureInfo.InvariantCulture)
        : double.IsInteger(_float) ? new BigInteger(_float).ToString(CultureInfo.InvariantCulture)
        : double.IsNaN(_float) ? "NaN"
        : double.IsPositiveInfinity(_float) ? "Infinity"
        : double.IsNegativeInfinity(_float) ? "-Infinity"
        : _float.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Python's <c>int / int</c>: the exact quotient rounded once to a float (half to even). Dividing two doubles
    /// rounds twice when an operand is past 2^53.
    /// </summary>
    /// <exception cref="DivideByZeroException">For a zero <paramref name="divisor"/>, as Python raises.</exception>
    public static double Quotient(BigInteger dividend, BigInteger divisor)
    {
        if (divisor.IsZero)
        {
            throw new DivideByZeroException();
        }

        var sign = (dividend.Sign < 0) != (divisor.Sign < 0) ? -1.0 : 1.0;
        var (a, b) = (BigInteger.Abs(dividend), BigInteger.Abs(divisor));
        if (a.GetBitLength() <= 53 && b.GetBitLength() <= 53)
        {
            return sign * ((double)a / (double)b);
        }

        // at least 65 quotient bits with the remainder folded into the last one (a sticky bit): rounding that to 53
        // bits gives the same double as rounding the exact quotient
        var shift = (int)(b.GetBitLength() - a.GetBitLength()) + 66;
        var quotient = BigInteger.DivRem(shift >= 0 ? a << shift : a, shift >= 0 ? b : b << -shift, out var remainder);
        if (!remainder.IsZero)
        {
            quotient |= 1;
        }

        return sign * Math.ScaleB(ToDouble(quotient), -shift);
    }

    /// <summary>Python's <c>float(int)</c>: correctly rounded (half to even), where .NET's conversion of a
    /// <see cref="BigInteger"/> past 64 bits truncates.</summary>
    public static double ToDouble(BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            return (long)value;
        }

        // keep the top 64 bits and fold every lower bit into the last one (a sticky bit): rounding that to 53 bits
        // gives the same double as rounding the whole value
        var magnitude = BigInteger.Abs(value);
        var shift = (int)(magnitude.GetBitLength() - 64);
        var top = (ulong)(magnitude >> shift);
        if (!(magnitude & ((BigInteger.One << shift) - 1)).IsZero)
        {
            top |= 1;
        }

        return value.Sign * Math.ScaleB(top, shift);
    }
}
