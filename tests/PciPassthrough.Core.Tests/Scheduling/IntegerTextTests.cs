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
    public void SIM30_TryParse_PythonIntForms(string text, long expected)
    {
        IntegerText.TryParse(text, out var value).ShouldBeTrue();
        value.ShouldBe(expected);
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
    [InlineData("99999999999999999999")]
    public void SIM30_TryParse_OtherForms_AreRejected(string text) => IntegerText.TryParse(text, out _).ShouldBeFalse();
}
