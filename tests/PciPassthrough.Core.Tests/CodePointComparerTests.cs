namespace PciPassthrough.Core.Tests;

/// <summary>SIM-11 (and every "sorted" list of the result): ordinal order compares Unicode code points, like Python.</summary>
public sealed class CodePointComparerTests
{
    [Fact]
    public void SIM11_CharactersBeyondBmp_SortAfterFullWidthAndPrivateUse() =>
        new[] { "\U0001F600", "\uFF21", "\uE000", "z", "\U00010000" }.Order(CodePointComparer.Instance)
            .ShouldBe(["z", "\uE000", "\uFF21", "\U00010000", "\U0001F600"]);

    [Theory]
    [InlineData("a", "ab", -1)] // a prefix first
    [InlineData("\U0001F600", "\U0001F601", -1)] // pairs sharing the high surrogate
    [InlineData("\uD83Da", "\U0001F600", -1)] // a lone surrogate is its own code point
    [InlineData("x\U0001F600", "x\uFFFF", 1)]
    [InlineData("same", "same", 0)]
    public void SIM11_Compare_ByCodePoint(string x, string y, int sign) =>
        Math.Sign(CodePointComparer.Instance.Compare(x, y)).ShouldBe(sign);
}
