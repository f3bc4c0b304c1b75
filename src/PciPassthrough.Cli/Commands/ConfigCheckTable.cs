using System.Globalization;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Requests;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// The <c>--format table</c> output, for people: a summary line, tables of what was understood (<see
/// cref="HostTextTable"/>, like every pcictl table), then every problem as one <c>FILE:LINE: kind: message</c> line
/// (never wrapped, so <c>grep</c> finds it).
/// </summary>
internal static class ConfigCheckTable
{
    public static void Write(ConfigCheckReport report, TextWriter output)
    {
        output.WriteLine(Summary(report));
        output.WriteLine();
        WriteSettings(report, output);
        output.WriteLine();
        WriteSpecs(report, output);
        WriteHost(report, output);
        output.WriteLine();
        WriteAliases(report, output);
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

    private static void WriteSettings(ConfigCheckReport report, TextWriter output) =>
        HostTextTable.Write(output, ["OPTION", "VALUE", "LINE"], [.. report.Settings.Select(setting => (string[])
        [
            setting.Name,
            setting.Value switch
            {
                null => "unset: the compute's host name",
                bool flag => flag ? "true" : "false",
                double number => number.ToString(CultureInfo.InvariantCulture),
                var other => other.ToString() ?? "",
            },
            setting.Location is { } location ? Line(location) : "default",
        ])]);

    private static void WriteSpecs(ConfigCheckReport report, TextWriter output)
    {
        if (report.DeviceSpecs.Count == 0)
        {
            output.WriteLine("[pci] device_spec: none, so no device can be passed through (01 DS-6)");
            return;
        }

        output.WriteLine($"[pci] device_spec: {Count(report.DeviceSpecs.Count, "spec")}; a device is governed by the "
            + "first that matches it");
        var withHost = report.Root is not null;
        var rows = new List<string[]>();
        foreach (var (checkedSpec, number) in report.DeviceSpecs.Select((spec, i) => (spec, i + 1)))
        {
            var spec = checkedSpec.Spec;
            var devices = spec.Devname is { } devname ? $"devname {devname}"
                : spec.Address is { Kind: DeviceSpecAddressKind.Regex } regex
                    ? $"regex domain={regex.Domain} bus={regex.Bus} slot={regex.Slot} function={regex.Function}"
                    : spec.Address?.ToString() ?? "";
            string[] row =
            [
                number.ToString(CultureInfo.InvariantCulture), Line(checkedSpec.Entry.Location), spec.VendorId, spec.ProductId,
                checkedSpec.IsResolvedOnCompute ? devices + " (1)" : devices,
                string.Join(", ", spec.Tags.Select(tag => $"{tag.Key}={spec.GetTagString(tag.Key) ?? "null"}")),
            ];
            rows.Add(withHost
                ? [.. row, checkedSpec.Selected is { Count: > 0 } selected ? Count(selected.Count, "function") : "nothing"]
                : row);
        }

        HostTextTable.Write(output, [.. (string[])["#", "LINE", "VENDOR", "PRODUCT", "DEVICES", "TAGS"],
            .. withHost ? (string[])["SELECTS"] : []], rows);
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
    private static void WriteHost(ConfigCheckReport report, TextWriter output)
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
            HostTextTable.Write(output, ["SPEC", "ADDRESS", "ID", "TYPE", "NUMA", "NETDEV"],
                [.. selected.Select(pair => (string[])[$"#{pair.Number.ToString(CultureInfo.InvariantCulture)}", .. DeviceCells(pair.device)])]);
        }

        if (host.Unselected.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"{root}: {Count(host.Unselected.Count, "function")} selected by no spec, so not tracked by "
                + "the compute");
            HostTextTable.Write(output, ["ADDRESS", "ID", "TYPE", "NUMA", "NETDEV", "WHY"],
                [.. host.Unselected.Select(device => (string[])[.. DeviceCells(device), device.NoMatchReason ?? ""])]);
        }

        foreach (var warning in host.Warnings)
        {
            output.WriteLine($"{root}: warning: {warning}");
        }
    }

    private static string[] DeviceCells(InventoryDevice device)
    {
        var record = device.Record;
        return
        [
            record.Address, $"{record.VendorId}:{record.ProductId}", record.DeviceType.ToNovaName(),
            record.NumaNode?.ToString(CultureInfo.InvariantCulture) ?? "-", record.Netdev ?? "-",
        ];
    }

    private static void WriteAliases(ConfigCheckReport report, TextWriter output)
    {
        if (report.Aliases.Count == 0)
        {
            output.WriteLine("[pci] alias: none, so no flavor can ask for a PCI device by alias");
            return;
        }

        output.WriteLine($"[pci] alias: {Count(report.Aliases.Count, "alias", "aliases")}; a flavor asks with "
            + "pci_passthrough:alias=\"NAME:COUNT\"; several specs of one alias are alternatives");
        var rows = new List<string[]>();
        foreach (var (alias, locations) in report.Aliases)
        {
            foreach (var (spec, location) in alias.Specs.Zip(locations))
            {
                var first = ReferenceEquals(spec, alias.Specs[0]);
                rows.Add([first ? alias.Name : "", Line(location), first ? alias.NumaPolicy.ToNovaName() : "",
                    string.Join(", ", spec.Select(pair => $"{pair.Key}={pair.Value ?? "null"}"))]);
            }
        }

        HostTextTable.Write(output, ["NAME", "LINE", "NUMA POLICY", "SPEC"], rows);
    }

    private static string Line(ConfLocation location) => location.Line.ToString(CultureInfo.InvariantCulture);

    private static string Count(int count, string noun, string? plural = null) =>
        count == 1 ? $"1 {noun}" : $"{count} {plural ?? noun + "s"}";
}
