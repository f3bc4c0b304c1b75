using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// The <c>--format table</c> output, for people: a summary line, tables of what was understood, then every
/// problem as one <c>FILE:LINE: kind: message</c> line (never wrapped, so <c>grep</c> finds it).
/// </summary>
internal static class ConfigCheckTable
{
    /// <summary>Wide enough for a spec's tags on one row when the output is a file or a pipe.</summary>
    private const int RedirectedWidth = 160;

    public static void Write(ConfigCheckReport report, TextWriter output)
    {
        var console = CreateConsole(output);
        output.WriteLine(Summary(report));
        output.WriteLine();
        console.Write(SettingsTable(report));
        foreach (var warning in report.Warnings)
        {
            output.WriteLine(warning);
        }

        foreach (var error in report.Errors)
        {
            output.WriteLine(error);
        }
    }

    private static string Summary(ConfigCheckReport report)
    {
        var problems = report.IsValid ? "valid" : $"invalid, {Count(report.Errors.Count, "error")}";
        return report.Warnings.Count == 0 ? $"{report.File}: {problems}"
            : $"{report.File}: {problems}, {Count(report.Warnings.Count, "warning")}";
    }

    private static Table SettingsTable(ConfigCheckReport report)
    {
        var table = NewTable("OPTION", "VALUE", "LINE");
        foreach (var setting in report.Settings)
        {
            var value = setting.Value switch
            {
                null => "unset: the compute's host name",
                bool flag => flag ? "true" : "false",
                double number => number.ToString(CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            };
            table.AddRow(Cell(setting.Name), Cell(value),
                Cell(setting.Location?.Line.ToString(CultureInfo.InvariantCulture) ?? "default"));
        }

        return table;
    }

    private static Table NewTable(params string[] columns) =>
        new Table().Border(TableBorder.None).AddColumns([.. columns.Select(c => new TableColumn(Cell(c)))]);

    /// <summary>Plain text: config values are full of brackets that Spectre would read as markup.</summary>
    private static IRenderable Cell(string text) => new Text(text);

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var consoleOutput = new AnsiConsoleOutput(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = consoleOutput,
            Ansi = consoleOutput.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = consoleOutput.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!consoleOutput.IsTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
