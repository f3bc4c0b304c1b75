using CsCheck;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using static PciPassthrough.Core.Tests.Config.DeviceSpecTestHost;

namespace PciPassthrough.Core.Tests.Config;

/// <summary>01 DS-16/DS-18: address regexes are Python <c>re</c> patterns, compiled and matched as Python does (the
/// device <c>0000:0a:00.5</c>, pattern on its bus <c>0a</c>).</summary>
public sealed class PythonRegexTests
{
    private static string BusSpec(string pattern) =>
        System.Text.Json.JsonSerializer.Serialize(new { address = new { bus = pattern } });

    [Theory]
    [InlineData("0{,1}a", true)] // {,n} is {0,n}
    [InlineData("x{,}0a", true)]
    [InlineData("0a\\Z", true)] // \Z is the end of the text
    [InlineData("(?P<b>0)a", true)] // named group
    [InlineData("(?P<b>0)(?P=b)", false)]
    [InlineData("0*+a", true)] // possessive quantifiers
    [InlineData("0*+0", false)]
    [InlineData("0?+a{1}+", true)]
    [InlineData("\\x30a", true)]
    [InlineData("\\U00000030a", true)]
    [InlineData("\\N{DIGIT ZERO}\\N{LATIN SMALL LETTER A}", true)]
    [InlineData("[\\_0]\\-?a", true)] // punctuation escapes are literals
    [InlineData("\\060a", true)] // three octal digits
    [InlineData("(?x) 0 # comment\n a", true)] // verbose
    [InlineData("(?i)0A", true)]
    [InlineData("(?a)\\w\\w", true)]
    [InlineData("[[:alpha:]]", false)] // a set of [ : a l p h, then ]
    [InlineData("(?<=0)a|0", true)]
    [InlineData("(0)?(?(1)a|b)", true)]
    public void DS18_PythonSyntax_MatchesAsPythonReadsIt(string pattern, bool matches) =>
        Matches(BusSpec(pattern), Device).ShouldBe(matches);

    [Theory]
    [InlineData("0a\\z")]
    [InlineData("\\G0a")]
    [InlineData("\\p{L}")]
    [InlineData("\\e")]
    [InlineData("\\cA")]
    [InlineData("(?<b>0)")] // .NET's group syntax
    [InlineData("(?'b'0)")]
    [InlineData("(?n)(0)")]
    [InlineData("0(?i)a")] // global flags only at the start
    [InlineData("(?<=0|00)a")] // variable-width look-behind
    [InlineData("\\1(0)")] // a group not yet defined
    [InlineData("(0\\1)")] // an open group
    [InlineData("[a-\\d]")]
    [InlineData("0{2,1}")]
    [InlineData("0**")]
    [InlineData("0*?+")]
    [InlineData("^*")]
    [InlineData("(?L)0")]
    [InlineData("(?au)0")]
    [InlineData("(?i-i:0)")]
    [InlineData("[\\8]")]
    [InlineData("\\400")]
    [InlineData("(?(2)a)(b)")]
    [InlineData("(?P<1b>0)")]
    [InlineData("(?P<b>0)(?P<b>a)")]
    public void DS16_PythonRefuses_WrongAddressFormat(string pattern) =>
        ParseError(BusSpec(pattern)).Kind.ShouldBe(PciErrorKinds.PciDeviceWrongAddressFormat);

    [Fact]
    public void DS16_RepetitionPastPythonsLimit_IsTheOverflowErrorNovaLetsEscape()
    {
        var error = ParseError(BusSpec("0{4294967295}"));

        error.Kind.ShouldBe(PciErrorKinds.OverflowError);
        error.NovaException.ShouldBeFalse();
        ParseOne(BusSpec("0{4294967294}")).Address!.Kind.ShouldBe(DeviceSpecAddressKind.Regex);
    }

    /// <summary>Any text gives a .NET pattern that compiles, or Python's refusal; never another exception.</summary>
    [Fact]
    public void DS16_AnyText_IsAPatternThatCompilesOrARefusal()
    {
        var outcomes = new int[2];
        Gen.String[Gen.OneOf(Gen.Char["()[]{}?*+|^$\\.-:,=!<>#PNUuxXdDwWsSbBAZzG0129aiLmstx \n"], Gen.Char), 0, 16].Sample(pattern =>
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(PythonRegex.Translate(pattern), System.Text.RegularExpressions.RegexOptions.CultureInvariant);
                outcomes[0]++;
            }
            catch (PythonRegex.Refusal)
            {
                outcomes[1]++;
            }
        }, iter: 20_000);

        outcomes.ShouldAllBe(count => count > 100);
    }
}
