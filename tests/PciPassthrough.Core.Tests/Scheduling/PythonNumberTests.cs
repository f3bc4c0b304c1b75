using System.Numerics;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Tests.Scheduling;

/// <summary>Python's number semantics where Nova's arithmetic shows in a result (SIM-31, SIM-38).</summary>
public sealed class PythonNumberTests
{
    [Theory]
    [InlineData("10", "4", 2.5)]
    [InlineData("-7", "2", -3.5)]
    [InlineData("9007199254740995", "1", 9007199254740996.0)] // 2^53 + 3 rounds half to even
    [InlineData("27021597764222979", "3", 9007199254740992.0)] // 3·(2^53 + 1) / 3: two double roundings give 2^53 + 2
    [InlineData("1000000000000000000000000000000", "3", 3.333333333333333e+29)]
    [InlineData("9223372036854775807", "9007199254740993", 1023.9999999999999)]
    public void SIM38_Quotient_IsTheExactQuotientRoundedOnce(string dividend, string divisor, double expected)
    {
        PythonNumber.Quotient(BigInteger.Parse(dividend), BigInteger.Parse(divisor)).ShouldBe(expected);
    }

    [Fact]
    public void SIM38_Quotient_OfZeroByANegative_IsNegativeZero()
    {
        double.IsNegative(PythonNumber.Quotient(0, -5)).ShouldBeTrue();
        Should.Throw<DivideByZeroException>(() => PythonNumber.Quotient(1, 0));
    }
}
