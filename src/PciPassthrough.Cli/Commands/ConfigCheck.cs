using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Cli.Commands;

/// <summary>Runs every check Nova makes at start on a parsed file, without a host to ask.</summary>
internal static class ConfigCheck
{
    public static ConfigCheckReport Run(NovaConfFile file)
    {
        var options = NovaConfOptions.Read(file);
        return new ConfigCheckReport(file.File, options, options.Errors, options.Warnings);
    }
}
