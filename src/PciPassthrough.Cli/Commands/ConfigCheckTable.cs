using System.Globalization;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;
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
        output.WriteLine();
        WriteSpecs(report, console, output);
        WriteHost(report, console, output);
        output.WriteLine();
        WriteAliases(report, console, output);
        var problems = report.Warnings.Select(w => (w.Location.Line, Text: w.ToString()))
            .Concat(report.Errors.Select(e => (e.Location.Line, Text: e.ToString())))
            .OrderBy(problem => problem.Line)
            .ToList();
        if (problems.Count > 0)
        {
            output.WriteLine();
        }

        foreach (var (_, text) in problems)
        {
            output.WriteLine(text);
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
                Cell(setting.Location is { } location ? Line(location) : "default"));
        }

        return table;
    }

    private static void WriteSpecs(ConfigCheckReport report, IAnsiConsole console, TextWriter output)
    {
        if (report.DeviceSpecs.Count == 0)
        {
            output.WriteLine("[pci] device_spec: none, so no device can be passed through (01 DS-6)");
            return;
        }

        output.WriteLine($"[pci] device_spec: {Count(report.DeviceSpecs.Count, "spec")}; a device is governed by the "
            + "first that matches it");
        var withHost = report.Root is not null;
        var table = NewTable([.. (string[])["#", "LINE", "VENDOR", "PRODUCT", "DEVICES", "TAGS"],
            .. withHost ? (string[])["SELECTS"] : []]);
        foreach (var (checkedSpec, number) in report.DeviceSpecs.Select((spec, i) => (spec, i + 1)))
        {
            var spec = checkedSpec.Spec;
            var devices = spec.Devname is { } devname ? $"devname {devname}"
                : spec.Address is { Kind: DeviceSpecAddressKind.Regex } regex
                    ? $"regex domain={regex.Domain} bus={regex.Bus} slot={regex.Slot} function={regex.Function}"
                    : spec.Address?.ToString() ?? "";
            IRenderable[] row =
            [
                Cell(number.ToString(CultureInfo.InvariantCulture)), Cell(Line(checkedSpec.Entry.Location)),
                Cell(spec.VendorId), Cell(spec.ProductId),
                Cell(checkedSpec.IsResolvedOnCompute ? devices + " (1)" : devices),
                Cell(string.Join(", ", spec.Tags.Select(tag => $"{tag.Key}={spec.GetTagString(tag.Key) ?? "null"}"))),
            ];
            table.AddRow(withHost
                ? [.. row, Cell(checkedSpec.Selected is { Count: > 0 } selected ? Count(selected.Count, "function") : "nothing")]
                : row);
        }

        console.Write(table);
        if (report.DeviceSpecs.Any(spec => spec.IsResolvedOnCompute))
        {
            output.WriteLine("(1) resolved on the compute: if it is an SR-IOV PF (a devname: the PF of that interface), "
                + "the spec also selects its VFs; config check has no host to ask (give it one with --root).");
        }
    }

    /// <summary>
    /// With <c>--root</c>: every function of the tree, grouped by the spec that governs it (01 DS-5), then those no
    /// spec selects with the reason (DS-36); nothing when the configuration is invalid, as such a compute refuses to
    /// start.
    /// </summary>
    private static void WriteHost(ConfigCheckReport report, IAnsiConsole console, TextWriter output)
    {
        if (report.Root is not { } root)
        {
            return;
        }

        output.WriteLine();
        if (report.Host is not { } host)
        {
            output.WriteLine($"{root}: the device_spec configuration is invalid: a compute refuses to start and selects nothing");
            return;
        }

        var selected = report.DeviceSpecs.SelectMany((spec, i) => spec.Selected!.Select(device => (Number: i + 1, device)))
            .ToList();
        if (selected.Count + host.Unselected.Count == 0)
        {
            output.WriteLine($"{root}: no PCI function found");
        }
        else
        {
            output.WriteLine(selected.Count == 0 ? $"{root}: no spec selects any function"
                : $"{root}: {Count(selected.Count, "function")} selected, each by the first spec that matches it");
        }

        if (selected.Count > 0)
        {
            var table = NewTable("SPEC", "ADDRESS", "ID", "TYPE", "NUMA", "NETDEV");
            foreach (var (number, device) in selected)
            {
                table.AddRow([Cell($"#{number.ToString(CultureInfo.InvariantCulture)}"), .. DeviceCells(device)]);
            }

            console.Write(table);
        }

        if (host.Unselected.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"{root}: {Count(host.Unselected.Count, "function")} selected by no spec, so not tracked by "
                + "the compute");
            var table = NewTable("ADDRESS", "ID", "TYPE", "NUMA", "NETDEV", "WHY");
            foreach (var device in host.Unselected)
            {
                table.AddRow([.. DeviceCells(device), Cell(device.NoMatchReason ?? "")]);
            }

            console.Write(table);
        }

        foreach (var warning in host.Warnings)
        {
            output.WriteLine($"{root}: warning: {warning}");
        }
    }

    private static IRenderable[] DeviceCells(InventoryDevice device)
    {
        var record = device.Record;
        return
        [
            Cell(record.Address), Cell($"{record.VendorId}:{record.ProductId}"), Cell(record.DeviceType.ToNovaName()),
            Cell(record.NumaNode?.ToString(CultureInfo.InvariantCulture) ?? "-"), Cell(record.Netdev ?? "-"),
        ];
    }

    private static void WriteAliases(ConfigCheckReport report, IAnsiConsole console, TextWriter output)
    {
        if (report.Aliases.Count == 0)
        {
            output.WriteLine("[pci] alias: none, so no flavor can ask for a PCI device by alias");
            return;
        }

        output.WriteLine($"[pci] alias: {Count(report.Aliases.Count, "alias", "aliases")}; a flavor asks with "
            + "pci_passthrough:alias=\"NAME:COUNT\"; several specs of one alias are alternatives");
        var table = NewTable("NAME", "LINE", "NUMA POLICY", "SPEC");
        foreach (var (alias, locations) in report.Aliases)
        {
            foreach (var (spec, location) in alias.Specs.Zip(locations))
            {
                var first = ReferenceEquals(spec, alias.Specs[0]);
                table.AddRow(Cell(first ? alias.Name : ""), Cell(Line(location)),
                    Cell(first ? alias.NumaPolicy.ToNovaName() : ""),
                    Cell(string.Join(", ", spec.Select(pair => $"{pair.Key}={pair.Value ?? "null"}"))));
            }
        }

        console.Write(table);
    }

    private static string Line(ConfLocation location) => location.Line.ToString(CultureInfo.InvariantCulture);

    private static Table NewTable(params string[] columns) =>
        new Table().Border(TableBorder.None).AddColumns([.. columns.Select(c => new TableColumn(Cell(c)))]);

    /// <summary>Plain text: config values are full of brackets that Spectre would read as markup.</summary>
    private static IRenderable Cell(string text) => new Text(text);

    private static string Count(int count, string noun, string? plural = null) =>
        count == 1 ? $"1 {noun}" : $"{count} {plural ?? noun + "s"}";

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
