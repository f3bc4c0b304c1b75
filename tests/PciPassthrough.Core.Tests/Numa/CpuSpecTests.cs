using CsCheck;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Numa;

namespace PciPassthrough.Core.Tests.Numa;

public sealed class CpuSpecTests
{
    [Theory]
    [InlineData("0-3,^2,5", new[] { 0, 1, 3, 5 })] // NF-4 example
    [InlineData("1-3", new[] { 1, 2, 3 })]
    [InlineData(" 4 , ,7", new[] { 4, 7 })] // blanks and empty rules are skipped
    [InlineData("^1,0-2", new[] { 0, 2 })] // exclusions apply after all inclusions
    [InlineData("0-5,^2-3", new[] { 0, 1, 4, 5 })]
    [InlineData("+1_0", new[] { 10 })] // Python int(): sign and underscore
    [InlineData("", new int[0])]
    [InlineData("5000000000,4999999999,^5000000000", new[] { int.MaxValue })] // NF-4: beyond 32 bits, past every guest CPU
    [InlineData("99999999999999999999", new[] { int.MaxValue })]
    public void Parse_ValidText_ReturnsAscendingCpus(string text, int[] expected) =>
        CpuSpec.Parse(text).ShouldBe(expected);

    [Theory]
    [InlineData("x")]
    [InlineData("3-1")] // ranges run upwards
    [InlineData("-1")]
    [InlineData("^")]
    [InlineData("1-")]
    [InlineData("0-99999999")] // larger than any host
    public void Parse_BadRule_IsInvalid(string text) =>
        Should.Throw<PciException>(() => CpuSpec.Parse(text)).Error.Kind.ShouldBe(FlavorErrorKinds.Invalid);

    [Theory]
    [InlineData(new[] { 3, 0, 1, 2, 5 }, "0-3,5")]
    [InlineData(new int[0], "")]
    public void Format_WritesRuns(int[] cpus, string expected) => CpuSpec.Format(cpus).ShouldBe(expected);

    [Fact]
    public void Parse_AnyText_ReturnsCpusOrInvalid() =>
        Gen.String[Gen.Char["0123456789-^, x_+"], 0, 24].Sample(text =>
        {
            try
            {
                CpuSpec.Parse(text).ShouldBe(CpuSpec.Parse(text).Order());
            }
            catch (PciException e)
            {
                e.Error.Kind.ShouldBe(FlavorErrorKinds.Invalid);
            }
        });

    [Fact]
    public void Format_ThenParse_RoundTrips() =>
        Gen.Int[0, 200].HashSet[0, 30].Sample(cpus => CpuSpec.Parse(CpuSpec.Format(cpus)).ShouldBe(cpus.Order()));
}
