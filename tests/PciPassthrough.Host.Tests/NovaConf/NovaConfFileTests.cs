using System.Text;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Host.Tests.NovaConf;

public sealed class NovaConfFileTests
{
    [Fact]
    public void Read_RealFile_ParsesItUnderItsPath()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "[pci]\nalias = {\"name\": \"gpu\"}\n");

            var conf = NovaConfFile.Read(path);

            conf.Entries.ShouldHaveSingleItem().Location.ShouldBe(new ConfLocation(path, 2));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_MissingFile_ThrowsIOException() =>
        Should.Throw<FileNotFoundException>(() => NovaConfFile.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString())));

    [Theory]
    [InlineData("\n", 3)]
    [InlineData("\r\n", 3)]
    [InlineData("\r", 3)]
    public void Parse_BytesThatAreNotUtf8_AreReportedAtTheirLine(string newline, int line)
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes($"[pci]{newline}alias = a{newline}device_spec = "), 0xFF,
            .. Encoding.UTF8.GetBytes($"{newline}report_in_placement = true{newline}")];
        var conf = NovaConfFile.Parse(bytes, "nova.conf");

        conf.Errors.ShouldHaveSingleItem().ToString().ShouldBe(
            $"nova.conf:{line}: ConfigFileParseError: byte 0xff is not UTF-8: oslo.config reads nova.conf as UTF-8; save the file as UTF-8");
        conf.Entries.Select(e => e.Key).ShouldBe(["alias", "device_spec", "report_in_placement"]);
    }
}
