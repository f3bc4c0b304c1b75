using System.Globalization;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// The <c>tree</c> and <c>table</c> outputs of <c>host discover</c>: a summary, one row per function, and with
/// <c>--config</c> the spec, status and pool of each, the specs with their tags, the pools, and why each other
/// function is not selected; then every warning with its fix.
/// </summary>
internal static class HostDiscoverText
{
    public static void Write(string root, HostInventory inventory, NovaConfOptions? conf, bool tree, TextWriter output)
    {
        var discovery = inventory.Discovery;
        output.WriteLine(Summary(root, discovery));
        var pools = inventory.Tracker?.Pools.Pools.SelectMany((pool, i) => pool.Devices.Select(d => (d.Address, Index: i + 1)))
            .ToDictionary(p => p.Address, p => p.Index, StringComparer.Ordinal) ?? [];
        if (inventory.Tracker is { } tracker)
        {
            output.WriteLine($"[pci] device_spec: {Count(inventory.Specs.Count, "entry selects", "entries select")} "
                + $"{Count(tracker.Devices.Count, "function")} into {Count(tracker.Pools.Pools.Count, "pool")}");
        }

        output.WriteLine();
        var rows = tree ? TreeOrder(inventory.Devices) : [.. inventory.Devices.Select(d => (d, ""))];
        string[] headers = ["ADDRESS", "TYPE", "ID", "CLASS", "NUMA", "DRIVER", "IOMMU", "NETDEV", "VFS", .. tree ? [] : new[] { "PARENT" },
            "SERIAL", .. inventory.IsConfigured ? ["SPEC", "STATUS", "POOL"] : Array.Empty<string>()];
        HostTextTable.Write(output, headers,
            [.. rows.Select(row => Row(row.Device, row.Prefix, tree, inventory.IsConfigured, pools))]);

        WriteConfiguration(inventory, output);
        foreach (var warning in discovery.Warnings)
        {
            output.WriteLine();
            output.WriteLine($"warning: {warning}");
            output.WriteLine($"  fix: {warning.Fix}");
        }

        foreach (var warning in inventory.SyncWarnings)
        {
            output.WriteLine($"warning: {warning}");
        }

        foreach (var problem in conf is null ? [] : conf.Errors.Select(e => e.ToString()).Concat(conf.Warnings.Select(w => w.ToString())))
        {
            output.WriteLine(problem);
        }
    }

    private static void WriteConfiguration(HostInventory inventory, TextWriter output)
    {
        if (inventory.Specs.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("device_spec:");
            foreach (var spec in inventory.Specs)
            {
                output.WriteLine($"  #{spec.Index + 1}  {spec.ToJson()}");
            }
        }

        foreach (var (location, error) in inventory.ConfigErrors)
        {
            output.WriteLine($"{location}: {error} (the compute would refuse to start; nothing is tracked)");
        }

        if (inventory.Tracker is { Pools.Pools.Count: > 0 } tracker)
        {
            output.WriteLine();
            output.WriteLine("Pools (what this host publishes to the scheduler):");
            HostTextTable.Write(output, ["POOL", "FREE", "KEYS"],
                [.. tracker.Pools.Pools.Select((pool, i) => (IReadOnlyList<string>)[$"#{i + 1}", Count(pool.Count), pool.Keys.ToString()])]);
        }

        WritePlacement(inventory, output);
        var unselected = inventory.Devices.Where(d => d.NoMatchReason is not null).ToList();
        if (unselected.Count > 0 && inventory.ConfigErrors.Count == 0)
        {
            output.WriteLine();
            output.WriteLine("Not selected:");
            foreach (var device in unselected)
            {
                output.WriteLine($"  {device.Record.Address}: {device.NoMatchReason}");
            }
        }
    }

    private static void WritePlacement(HostInventory inventory, TextWriter output)
    {
        if (inventory.PlacementError is { } error)
        {
            output.WriteLine();
            output.WriteLine($"[pci] report_in_placement: {error} (the compute would refuse to start)");
        }

        if (inventory.Placement is not { } placement)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Placement (report_in_placement = true), as the first report of {placement.View.HostName} would write it:");
        HostTextTable.Write(output, ["PROVIDER", "RESOURCE CLASS", "TOTAL", "RESERVED", "TRAITS", "DEVICES"],
            [.. placement.Plan.Providers.Select(p => (IReadOnlyList<string>)[p.Name, p.ResourceClass, Count(p.Total),
                p.Reserved is { } reserved ? Count(reserved) : "-", string.Join(",", p.Traits.Order(StringComparer.Ordinal)),
                string.Join(",", p.Devices.Select(d => d.Address))])]);
        var unreported = inventory.Devices.Count(d => d.Tracked is not null && !placement.ProviderOf.ContainsKey(d.Record.Address));
        if (unreported > 0)
        {
            output.WriteLine($"{Count(unreported, "selected function is", "selected functions are")} not reported: "
                + "a physical_network tag keeps Neutron SR-IOV devices out of Placement (06 PM-5).");
        }

        foreach (var warning in placement.View.Warnings.Concat(placement.Plan.Warnings))
        {
            output.WriteLine($"warning: {warning}");
        }
    }

    private static string Summary(string root, DiscoveryResult result)
    {
        var types = result.Records.CountBy(r => r.DeviceType).ToDictionary();
        var parts = new[] { PciDeviceType.PhysicalFunction, PciDeviceType.VirtualFunction, PciDeviceType.Vdpa, PciDeviceType.Pci }
            .Where(types.ContainsKey)
            .Select(type => $"{Count(types[type])} {type.ToNovaName()}");
        return $"{SysfsPaths.PciDevices(root)}: {Count(result.Records.Count, "PCI function")}"
            + (types.Count == 0 ? "" : $" ({string.Join(", ", parts)})") + $", {Count(result.Warnings.Count, "warning")}";
    }

    /// <summary>PFs and plain devices in address order, each PF followed by its VFs; a VF whose PF was not
    /// discovered stands on its own.</summary>
    private static List<(InventoryDevice Device, string Prefix)> TreeOrder(IReadOnlyList<InventoryDevice> devices)
    {
        var addresses = devices.Select(d => d.Record.Address).ToHashSet(StringComparer.Ordinal);
        var children = devices
            .Where(d => d.Record.ParentAddress is { } parent && addresses.Contains(parent))
            .ToLookup(d => d.Record.ParentAddress!, StringComparer.Ordinal);
        var rows = new List<(InventoryDevice, string)>();
        foreach (var device in devices.Where(d => d.Record.ParentAddress is not { } parent || !addresses.Contains(parent)))
        {
            rows.Add((device, ""));
            var vfs = children[device.Record.Address].ToList();
            rows.AddRange(vfs.Select((vf, i) => (vf, i == vfs.Count - 1 ? "└─ " : "├─ ")));
        }

        return rows;
    }

    private static string[] Row(
        InventoryDevice device, string prefix, bool tree, bool configured, Dictionary<string, int> pools)
    {
        var (record, function) = (device.Record, device.Function);
        return
        [
            prefix + record.Address,
            record.DeviceType.ToNovaName(),
            $"{record.VendorId}:{record.ProductId}",
            record.ClassCode ?? "-",
            Number(record.NumaNode),
            record.Driver ?? "-",
            Number(record.IommuGroup),
            record.Netdev ?? "-",
            record.DeviceType == PciDeviceType.PhysicalFunction ? $"{function.EnabledVfs?.ToString(CultureInfo.InvariantCulture) ?? "?"}/{function.TotalVfs}" : "-",
            .. tree ? [] : new[] { record.ParentAddress ?? "-" },
            record.CardSerialNumber ?? "-",
            .. configured
                ? [device.Spec is { } spec ? $"#{spec.Index + 1}" : "-", device.Tracked?.Status.ToNovaName() ?? "-",
                    pools.TryGetValue(record.Address, out var pool) ? $"#{pool}" : "-"]
                : Array.Empty<string>(),
        ];
    }

    private static string Number(Int128? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Count(int count, string noun, string? plural = null) =>
        $"{Count(count)} {(count == 1 ? noun : plural ?? noun + "s")}";
}
