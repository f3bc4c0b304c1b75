using System.CommandLine;
using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Cli.Commands;

/// <summary>The options the <c>host</c> verbs share.</summary>
internal static class HostOptions
{
    public const string TableFormat = "table", TreeFormat = "tree", JsonFormat = "json";

    public static Option<string> Root() => new("--root")
    {
        Description = "The directory that holds the host's sys/ and proc/ (default /): a copy or a fake tree. "
            + "Example: --root /tmp/host1",
        DefaultValueFactory = _ => SysfsPaths.DefaultRoot,
        HelpName = "DIR",
    };

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
        option.AcceptOnlyFromAmong(formats);
        return option;
    }
}
