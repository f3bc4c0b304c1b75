using PciPassthrough.Core.Flavors;

namespace PciPassthrough.Core.Tests.Flavors;

/// <summary>scenario-format §2.4: device ids and addresses are lower-cased as Python's <c>str.lower()</c> does
/// (expected values printed by CPython).</summary>
public sealed class PythonTextTests
{
    [Theory]
    [InlineData("10DE", "10de")]
    [InlineData("\u1E9E\u0130", "\u00DFi\u0307")] // İ becomes two code points
    [InlineData("\u03A3\u0391\u03A3", "\u03C3\u03B1\u03C2")] // a sigma ending the word is final
    [InlineData("\u0391\u03A3'", "\u03B1\u03C2'")] // case-ignorable characters after it are skipped
    [InlineData("\u0391\u03A3\u0392", "\u03B1\u03C3\u03B2")]
    [InlineData("1\u03A3", "1\u03C3")] // nothing cased before it
    [InlineData("\u00AA\u03A3", "\u00AA\u03C2")] // ª is a cased letter without a case mapping
    [InlineData("\U0001D400\u03A3", "\U0001D400\u03C2")] // a cased letter beyond U+FFFF
    [InlineData("\u0391\u03A3\U00010428", "\u03B1\u03C3\U00010428")]
    public void SIM20_Lower_IsPythonsStrLower(string text, string expected) =>
        PythonText.Lower(text).ShouldBe(expected);
}
