using System.Globalization;

namespace PciPassthrough.Testing.Sysfs;

/// <summary>Writes files, directories and relative symlinks of a fake tree, with the kernel's link targets.</summary>
internal sealed class FakeSysfsWriter(string root)
{
    public void CreateDirectory(string relative) => Directory.CreateDirectory(Path.Combine(root, relative));

    public void WriteText(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Link(string relative, string target)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, target);
    }

    public void WriteFunction(FakePciFunction function, int? iommuGroup, int enabledVfs)
    {
        var address = function.Address;
        var device = DevicePath(address);
        var sysToDevice = $"devices/{HostBridge(address)}/{address}";
        CreateDirectory(device);
        Link(Path.Combine("sys", "bus", "pci", "devices", address), $"../../../{sysToDevice}");
        WriteText(Path.Combine(device, "vendor"), $"0x{function.VendorId}\n");
        WriteText(Path.Combine(device, "device"), $"0x{function.ProductId}\n");
        WriteText(Path.Combine(device, "class"), function.ClassCode + "\n");
        WriteText(Path.Combine(device, "numa_node"), (function.NumaNode ?? -1).ToString(CultureInfo.InvariantCulture) + "\n");

        if (function.TotalVfs > 0)
        {
            WriteText(Path.Combine(device, "sriov_totalvfs"), $"{function.TotalVfs}\n");
            WriteText(Path.Combine(device, "sriov_numvfs"), $"{enabledVfs}\n");
            WriteText(Path.Combine(device, "sriov_vf_device"), $"{function.VfProductId}\n");
        }

        if (function.ParentAddress is { } parent)
        {
            Link(Path.Combine(device, "physfn"), $"../{parent}");
            Link(Path.Combine(DevicePath(parent), $"virtfn{function.VfIndex}"), $"../{address}");
        }

        if (function.Driver is { } driver)
        {
            Link(Path.Combine(device, "driver"), $"../../../bus/pci/drivers/{driver}");
            Link(Path.Combine("sys", "bus", "pci", "drivers", driver, address), $"../../../../{sysToDevice}");
        }

        if (iommuGroup is { } group)
        {
            Link(Path.Combine(device, "iommu_group"), $"../../../kernel/iommu_groups/{group}");
            Link(Path.Combine("sys", "kernel", "iommu_groups", $"{group}", "devices", address), $"../../../../{sysToDevice}");
        }

        if (function.Netdev is { } ifname)
        {
            var net = Path.Combine(device, "net", ifname);
            WriteText(Path.Combine(net, "address"), (function.MacAddress ?? "00:00:00:00:00:00") + "\n");
            Link(Path.Combine(net, "device"), $"../../../{address}");
            Link(Path.Combine("sys", "class", "net", ifname), $"../../{sysToDevice}/net/{ifname}");
        }

        if (function.Vpd is { } vpd)
        {
            File.WriteAllBytes(Path.Combine(root, device, "vpd"), [.. vpd]);
        }

        if (function.HasVdpa)
        {
            CreateDirectory(Path.Combine(device, "vdpa0"));
        }
    }

    /// <summary>The node directories, the CPUs' topology, <c>cpu/online</c> and <c>proc/meminfo</c>; with
    /// <paramref name="flat"/> only the last three (a kernel without NUMA).</summary>
    public void WriteNumaNodes(IReadOnlyList<FakeNumaNode> nodes, FakeNumaNode? flat)
    {
        var all = flat is null ? nodes : [flat];
        if (all.Count == 0)
        {
            return;
        }

        var system = Path.Combine("sys", "devices", "system");
        foreach (var node in nodes)
        {
            var directory = Path.Combine(system, "node", $"node{node.Id}");
            WriteText(Path.Combine(directory, "cpulist"), CpuList(node.Cpus) + "\n");
            WriteText(Path.Combine(directory, "meminfo"), string.Create(CultureInfo.InvariantCulture,
                $"Node {node.Id} MemTotal:       {node.MemoryMb * 1024} kB\nNode {node.Id} MemFree:        {node.MemoryMb * 512} kB\n"));
        }

        foreach (var node in all)
        {
            foreach (var core in node.Cpus.Chunk(node.ThreadsPerCore))
            {
                foreach (var cpu in core)
                {
                    var topology = Path.Combine(system, "cpu", $"cpu{cpu}", "topology");
                    WriteText(Path.Combine(topology, "physical_package_id"), $"{node.Socket}\n");
                    WriteText(Path.Combine(topology, "thread_siblings_list"), CpuList(core) + "\n");
                }
            }
        }

        WriteText(Path.Combine(system, "cpu", "online"), CpuList([.. all.SelectMany(n => n.Cpus)]) + "\n");
        WriteText(Path.Combine("proc", "meminfo"), string.Create(CultureInfo.InvariantCulture,
            $"MemTotal:       {all.Sum(n => n.MemoryMb) * 1024} kB\nMemFree:        {all.Sum(n => n.MemoryMb) * 512} kB\n"));
    }

    /// <summary>The kernel's list form: ranges of consecutive CPUs, <c>0-3,8-11</c>.</summary>
    public static string CpuList(IReadOnlyList<int> cpus)
    {
        var ranges = new List<string>();
        var sorted = cpus.Order().ToList();
        for (var i = 0; i < sorted.Count;)
        {
            var end = i;
            while (end + 1 < sorted.Count && sorted[end + 1] == sorted[end] + 1)
            {
                end++;
            }

            ranges.Add(end == i ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[end]}");
            i = end + 1;
        }

        return string.Join(',', ranges);
    }

    /// <summary>Rewrites (or deletes) one file after the fact; an unreadable file becomes a directory.</summary>
    public void Override(string address, string file, string? content, bool unreadable)
    {
        var path = Path.Combine(root, DevicePath(address), file);
        if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
        {
            File.Delete(path);
        }

        if (unreadable)
        {
            Directory.CreateDirectory(path);
        }
        else if (content is not null)
        {
            File.WriteAllText(path, content);
        }
    }

    /// <summary>Splits <c>dddd:bb:ss.f</c> (the domain may be longer than 4 digits, as VMD domains are).</summary>
    public static (string Domain, int Bus, int Slot, int Function) Split(string address)
    {
        var parts = address.Split(':', '.');
        return (parts[0], Hex(parts[1]), Hex(parts[2]), Hex(parts[3]));
    }

    private static string DevicePath(string address) => Path.Combine("sys", "devices", HostBridge(address), address);

    private static string HostBridge(string address) => $"pci{address[..address.LastIndexOf(':')]}";

    private static int Hex(string text) => int.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
