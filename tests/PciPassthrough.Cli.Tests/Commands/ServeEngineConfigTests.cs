using PciPassthrough.Cli.Commands;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>The scheduler options <c>pcictl serve --config</c> takes from a <c>nova.conf</c>.</summary>
public sealed class ServeEngineConfigTests
{
    [Theory]
    [InlineData("[scheduler]\nimage_metadata_prefilter = true\n", true)] // LV-19
    [InlineData("[pci]\nalias = {\"name\": \"a\", \"vendor_id\": \"8086\", \"product_id\": \"154c\"}\n", false)] // LV-19: off by default
    public void LV19_ImageMetadataPrefilter_ReachesTheScheduler(string conf, bool on)
    {
        var file = new FileInfo(Path.GetTempFileName());
        try
        {
            File.WriteAllText(file.FullName, conf);
            using var error = new StringWriter();

            var config = ServeCommand.EngineConfig(file, error);

            error.ToString().ShouldBeEmpty();
            config!.ImageMetadataPrefilter.ShouldBe(on);
        }
        finally
        {
            file.Delete();
        }
    }
}
