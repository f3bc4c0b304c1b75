using System.Globalization;
using PciPassthrough.Core.Pci;
using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Cli.Commands;

/// <summary>The <c>tree</c> and <c>table</c> outputs of <c>host discover</c>: a summary line, one row per function,
/// then each warning with its fix.</summary>
internal static class HostDiscoverText
{
    private static readonly string[] _headers =
        ["ADDRESS", "TYPE", "ID", "CLASS", "NUMA", "DRIVER", "IOMMU", "NETDEV", "VFS", "PARENT", "SERIAL"];

    public static void Write(string root, DiscoveryResult result, bool tree, TextWriter output)
    {
        output.WriteLine(Summary(root, result));
        output.WriteLine();
        var ordered = tree ? TreeOrder(result.Functions) : [.. result.Functions.Select(f => (f, ""))];
        HostTextTable.Write(output, tree ? _headers[..^2].Append(_headers[^1]).ToArray() : _headers,
            [.. ordered.Select(row => Row(row.Function, row.Prefix, tree))]);
        foreach (var warning in result.Warnings)
        {
            output.WriteLine();
            output.WriteLine($"warning: {warning}");
            output.WriteLine($"  fix: {warning.Fix}");
        }
    }

    private static string Summary(string root, DiscoveryResult result)
    {
        var types = result.Records.CountBy(r => r.DeviceType).ToDictionary();
        var parts = new[] { PciDeviceType.PhysicalFunction, PciDeviceType.VirtualFunction, PciDeviceType.Vdpa, PciDeviceType.Pci }
            .Where(types.ContainsKey)
            .Select(type => $"{types[type]} {type.ToNovaName()}");
        var warnings = result.Warnings.Count == 1 ? "1 warning" : $"{result.Warnings.Count} warnings";
        return $"{SysfsPaths.PciDevices(root)}: {result.Records.Count} PCI functions"
            + (types.Count == 0 ? "" : $" ({string.Join(", ", parts)})") + $", {warnings}";
    }

    /// <summary>PFs and plain devices in address order, each PF followed by its VFs; a VF whose PF was not
    /// discovered stands on its own.</summary>
    private static List<(DiscoveredFunction Function, string Prefix)> TreeOrder(IReadOnlyList<DiscoveredFunction> functions)
    {
        var addresses = functions.Select(f => f.Record.Address).ToHashSet(StringComparer.Ordinal);
        var children = functions
            .Where(f => f.Record.ParentAddress is { } parent && addresses.Contains(parent))
            .ToLookup(f => f.Record.ParentAddress!, StringComparer.Ordinal);
        var rows = new List<(DiscoveredFunction, string)>();
        foreach (var function in functions.Where(f => f.Record.ParentAddress is not { } parent || !addresses.Contains(parent)))
        {
            rows.Add((function, ""));
            var vfs = children[function.Record.Address].ToList();
            rows.AddRange(vfs.Select((vf, i) => (vf, i == vfs.Count - 1 ? "└─ " : "├─ ")));
        }

        return rows;
    }

    private static string[] Row(DiscoveredFunction function, string prefix, bool tree)
    {
        var record = function.Record;
        string[] cells =
        [
            prefix + record.Address,
            record.DeviceType.ToNovaName(),
            $"{record.VendorId}:{record.ProductId}",
            record.ClassCode ?? "-",
            record.NumaNode?.ToString(CultureInfo.InvariantCulture) ?? "-",
            record.Driver ?? "-",
            record.IommuGroup?.ToString(CultureInfo.InvariantCulture) ?? "-",
            record.Netdev ?? "-",
            record.DeviceType == PciDeviceType.PhysicalFunction
                ? $"{function.EnabledVfs?.ToString(CultureInfo.InvariantCulture) ?? "?"}/{function.TotalVfs}" : "-",
            record.ParentAddress ?? "-",
            record.CardSerialNumber ?? "-",
        ];
        return tree ? [.. cells[..^2], cells[^1]] : cells;
    }
}
