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
    [InlineData("\uA7DA\U00010D50\u1C89", "\uA7DA\U00010D50\u1C89")] // capitals newer than Python 3.11's Unicode 14
    [InlineData("\U00010400\u0130", "\U00010428i\u0307")]
    public void SIM20_Lower_IsPythonsStrLower(string text, string expected) =>
        PythonText.Lower(text).ShouldBe(expected);

    [Theory]
    [InlineData("10de_a", "10DE_A")]
    [InlineData("\u00DF\u0131\u017F", "SSIS")] // ı and ſ, which .NET's invariant casing keeps
    [InlineData("\u1FB3\u0390\uFB01", "\u0391\u0399\u0399\u0308\u0301FI")] // full mappings of several code points
    [InlineData("\u019B\U00010D70\uA7DB", "\u019B\U00010D70\uA7DB")] // small letters newer than Unicode 14
    [InlineData("\U00010428x", "\U00010400X")]
    public void SIM50_Upper_IsPythonsStrUpper(string text, string expected) =>
        PythonText.Upper(text).ShouldBe(expected);
}
