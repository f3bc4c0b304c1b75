using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Cli.Commands;

/// <summary>Builds the <c>host</c> verbs' inventory: discovery alone, or with a <c>nova.conf</c>'s <c>[pci]</c>
/// options applied as a compute start would.</summary>
internal static class HostConfig
{
    /// <summary>Exit code when <c>--config</c> cannot be read, or describes a compute that would not start.</summary>
    public const int Failure = 2;

    /// <summary>The inventory, or null (after saying why on <paramref name="error"/>) when the file is unreadable.</summary>
    public static (HostInventory Inventory, NovaConfOptions? Conf)? Load(
        string root, string? configPath, TextWriter error, string? hostName = null)
    {
        if (configPath is null)
        {
            return (HostInventory.Discover(root), null);
        }

        NovaConfOptions conf;
        try
        {
            conf = NovaConfOptions.Read(NovaConfFile.Read(configPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"pcictl: cannot read {configPath}: {FileError.Reason(configPath, e)}");
            return null;
        }

        return (HostInventory.Discover(root, conf, hostName), conf);
    }
}
