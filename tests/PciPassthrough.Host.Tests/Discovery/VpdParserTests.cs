using CsCheck;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Host.Tests.Discovery;

public sealed class VpdParserTests
{
    [Fact]
    public void Parse_WellFormedImage_ReturnsSerial() =>
        VpdParser.Parse(VpdImage.WithSerial("MT2113X00000")).ShouldBe(VpdParseResult.Found("MT2113X00000"));

    [Theory]
    [InlineData("  MT2113X00000  ", "MT2113X00000")] // libvirt trims: padded values exist in the wild
    [InlineData("MT2113X00000\0\0\0", "MT2113X00000")] // NUL padding ends the text
    [InlineData("", "")]
    public void Parse_SerialText_IsCutAtNulAndTrimmed(string raw, string expected) =>
        VpdParser.Parse(VpdImage.Build("NIC", [("SN", raw)])).SerialNumber.ShouldBe(expected);

    [Fact]
    public void Parse_ImageWithoutSerial_IsWellFormedWithNone() =>
        VpdParser.Parse(VpdImage.Build("NIC", [("PN", "X710")])).ShouldBe(VpdParseResult.Found(null));

    [Fact]
    public void Parse_SerialWithControlCharacters_IsSkipped() =>
        VpdParser.Parse(VpdImage.Build("NIC", [("SN", "AB\u0007C")])).ShouldBe(VpdParseResult.Found(null));

    [Fact]
    public void Parse_SerialInTheReadWriteSection_IsNotTheCardSerial() =>
        VpdParser.Parse(VpdImage.Build("NIC", [("PN", "X")], readWriteFields: [("SN", "RW-SERIAL"), ("RW", "")]))
            .ShouldBe(VpdParseResult.Found(null));

    [Fact]
    public void Parse_TrailingPaddingAfterEndTag_IsIgnored() =>
        VpdParser.Parse([.. VpdImage.WithSerial("S1"), .. Enumerable.Repeat((byte)0xFF, 64)]).SerialNumber.ShouldBe("S1");

    [Theory]
    [MemberData(nameof(MalformedImages))]
    public void Parse_MalformedImage_NamesTheProblem(byte[] image, string problem) =>
        VpdParser.Parse(image).ShouldBe(VpdParseResult.Malformed(problem));

    public static TheoryData<byte[], string> MalformedImages() => new()
    {
        { VpdImage.Build("NIC", [("SN", "S1")], checksumDelta: 1), "the VPD-R checksum (RV) does not match the data" },
        { VpdImage.Build("NIC", [("SN", "S1")], endTag: false), "there is no end tag" },
        { [0x82, 0x03, 0x00, (byte)'N', (byte)'I', (byte)'C', 0x78], "there is no VPD-R section" },
        { [0x82, 0x10, 0x00, (byte)'N'], "resource 0x82 at offset 0 declares 16 bytes, past the end of the data" },
        { [0x82, 0x01], "large resource 0x82 at offset 0 has no length" },
        { [0x82, 0x01, 0x00, 0x07, 0x78], "the identifier string has non-printable characters" },
        { [0x90, 0x05, 0x00, (byte)'S', (byte)'N', 0x02, (byte)'A', (byte)'B', 0x78],
            "the VPD-R section does not end with its checksum field (RV)" },
        { [0x90, 0x04, 0x00, (byte)'S', (byte)'N', 0x09, (byte)'A', 0x78],
            "VPD-R field 'SN' declares 9 bytes, past the end of the section" },
        { VpdImage.Build("NIC", [("RW", "")]), "the VPD-R section has a read-write area field (RW)" },
        { VpdImage.Build("NIC", [], readWriteFields: [("RV", "x")]), "the VPD-W section has a checksum field (RV)" },
        { VpdImage.Build("NIC", [], readWriteFields: [("RW", ""), ("YA", "tag")]), "the VPD-W section does not fill its declared length" },
        { [], "there is no end tag" },
    };

    [Fact]
    public void Parse_AnyBytes_ReturnsAResultAndNeverThrows() =>
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var result = VpdParser.Parse(bytes);
            (result.Problem is null || result.SerialNumber is null).ShouldBeTrue();
        });

    [Fact]
    public void Parse_AnyMutationOfAValidImage_NeverThrows() =>
        Gen.Select(Gen.Int[0, 60], Gen.Byte).Array[1, 4].Sample(mutations =>
        {
            var image = VpdImage.WithSerial("MT2113X00000");
            foreach (var (index, value) in mutations)
            {
                image[index % image.Length] = value;
            }

            VpdParser.Parse(image);
        });
}
