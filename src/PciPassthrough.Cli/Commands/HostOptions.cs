using System.CommandLine;
using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Cli.Commands;

/// <summary>The options the <c>host</c> verbs share.</summary>
internal static class HostOptions
{
    public const string TableFormat = "table", TreeFormat = "tree", JsonFormat = "json";

    public static Option<string> Root()
    {
        var root = new Option<string>("--root")
        {
            Description = "The directory that holds the host's sys/ and proc/ (default /): a copy or a fake tree. "
                + "Example: --root /tmp/host1",
            DefaultValueFactory = _ => SysfsPaths.DefaultRoot,
            HelpName = "DIR",
        };
        MustBeADirectory(root);
        return root;
    }

    /// <summary>A <c>--root</c> that names no directory is a usage error: read as an empty host, it would pass for a
    /// host without devices, or without an IOMMU.</summary>
    public static void MustBeADirectory(Option root) => root.Validators.Add(result =>
    {
        foreach (var token in result.Tokens.Where(t => !Directory.Exists(t.Value)))
        {
            result.AddError($"--root {token.Value}: no such directory; expected the directory that holds a host's sys/ "
                + "(/ on the host itself, or a copy of one).");
        }
    });

    public static Option<string?> Config() => new("--config")
    {
        Description = "A nova.conf: its [pci] device_spec decides which devices are passed through, with which tags. "
            + "Example: --config /etc/nova/nova.conf",
        HelpName = "FILE",
    };

    public static Option<string> Format(params string[] formats)
    {
        var option = new Option<string>("--format")
        {
            Description = $"How to print: {string.Join(", ", formats.Select(f => $"'{f}'"))}; 'json' is for scripts. "
                + "Example: --format json",
            DefaultValueFactory = _ => formats[0],
            HelpName = string.Join('|', formats),
        };
        option.AcceptOnly(formats);
        return option;
    }
}
