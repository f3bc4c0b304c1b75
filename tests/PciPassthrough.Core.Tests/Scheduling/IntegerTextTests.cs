using System.Numerics;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Tests.Scheduling;

public sealed class IntegerTextTests
{
    [Theory] // SIM-30: integer text
    [InlineData(" +1_0 ", 10L)]
    [InlineData("007", 7L)]
    [InlineData("-3", -3L)]
    [InlineData("\t2\n", 2L)]
    [InlineData("\u0662", 2L)]
    [InlineData("\uff11_\u0660", 10L)]
    [InlineData("\U0001D7CF", 1L)]
    [InlineData("\u3000\u00a01\u2028", 1L)] // any Unicode white space
    public void SIM30_TryParse_PythonIntForms(string text, long expected)
    {
        IntegerText.TryParse(text, out BigInteger value).ShouldBeTrue();
        value.ShouldBe(expected);
    }

    [Theory] // SIM-30: Python's integers have no bound
    [InlineData("99999999999999999999", "99999999999999999999", long.MaxValue)]
    [InlineData(" -1_000000000000000000000 ", "-1000000000000000000000", -long.MaxValue)]
    public void SIM30_TryParse_BeyondLong_ExactOrSaturated(string text, string exact, long saturated)
    {
        IntegerText.TryParse(text, out BigInteger value).ShouldBeTrue();
        value.ShouldBe(BigInteger.Parse(exact, System.Globalization.CultureInfo.InvariantCulture));
        IntegerText.TryParseSaturated(text, out var clamped).ShouldBeTrue();
        clamped.ShouldBe(saturated);
    }

    [Theory]
    [InlineData("1__0")]
    [InlineData("_1")]
    [InlineData("1_")]
    [InlineData("+")]
    [InlineData("")]
    [InlineData("0x10")]
    [InlineData("1.0")]
    [InlineData("\u00b2")]
    [InlineData("\u2160")]
    [InlineData("+-1")]
    [InlineData("\u001c1")] // str.isspace() is true for U+001C…U+001F, but int() does not skip them
    [InlineData("1\u001f")]
    public void SIM30_TryParse_OtherForms_AreRejected(string text) => IntegerText.TryParse(text, out BigInteger _).ShouldBeFalse();
}
