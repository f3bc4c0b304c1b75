using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace PciPassthrough.Cli;

/// <summary>
/// <c>--help</c> with one line per subcommand: a command's listing (<c>pcictl --help</c>, <c>pcictl server --help</c>)
/// shows each subcommand's summary, the first line of its description; the whole description, with its examples and
/// exit codes, is in the subcommand's own help.
/// </summary>
internal sealed class SummaryHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => help.ClearsParseErrors;

    /// <summary>Replaces the help action of <paramref name="root"/> (which applies to every subcommand).</summary>
    public static void Install(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new SummaryHelpAction((HelpAction)option.Action!);
    }

    /// <summary>The first line of <paramref name="description"/>.</summary>
    public static string Summary(string? description) => description?.Split('\n', 2)[0] ?? "";

    public override int Invoke(ParseResult parseResult)
    {
        // the help layout is the library's; only the text it shows for each subcommand is shortened, then restored
        var subcommands = parseResult.CommandResult.Command.Subcommands;
        var descriptions = subcommands.Select(c => c.Description).ToList();
        try
        {
            foreach (var subcommand in subcommands)
            {
                subcommand.Description = Summary(subcommand.Description);
            }

            return help.Invoke(parseResult);
        }
        finally
        {
            foreach (var (subcommand, description) in subcommands.Zip(descriptions))
            {
                subcommand.Description = description;
            }
        }
    }
}
