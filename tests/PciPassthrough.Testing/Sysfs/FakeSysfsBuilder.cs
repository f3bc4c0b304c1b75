using System.Globalization;

namespace PciPassthrough.Testing.Sysfs;

/// <summary>
/// Describes a Linux host's PCI view compactly and writes it as a real directory tree, laid out as the kernel does:
/// <c>sys/devices/pci&lt;dddd:bb&gt;/&lt;address&gt;/</c> with its files and the links
/// <c>physfn</c>, <c>virtfn&lt;n&gt;</c>, <c>driver</c>, <c>iommu_group</c>, <c>net/&lt;ifname&gt;</c>;
/// <c>sys/bus/pci/devices</c>, <c>sys/bus/pci/drivers</c>, <c>sys/class/net</c>, <c>sys/class/iommu</c>,
/// <c>sys/kernel/iommu_groups</c>, <c>sys/module</c> and <c>proc/cmdline</c>.
/// </summary>
/// <example><c>using var host = new FakeSysfsBuilder().WithIommu().WithSriovNic("0000:81:00.0", numaNode: 0, vfs: 8).Build();</c></example>
public sealed class FakeSysfsBuilder
{
    private readonly List<FakePciFunction> _functions = [];
    private readonly List<(string Address, string File, string? Content, bool Unreadable)> _fileOverrides = [];
    private readonly List<string> _iommuUnits = [];
    private readonly List<FakeNumaNode> _numaNodes = [];
    private FakeNumaNode? _flatMemory;
    private string _commandLine = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet";
    private string _hostname = "compute1";
    private bool _iommuGroups = true;
    private bool _vfioLoaded;

    /// <summary>The kernel command line (<c>proc/cmdline</c>).</summary>
    public FakeSysfsBuilder WithKernelCommandLine(string commandLine)
    {
        _commandLine = commandLine;
        return this;
    }

    /// <summary>The host name (<c>proc/sys/kernel/hostname</c>), which prefixes Placement provider names.</summary>
    public FakeSysfsBuilder WithHostname(string hostname)
    {
        _hostname = hostname;
        return this;
    }

    /// <summary>An active IOMMU: <paramref name="units"/> under <c>sys/class/iommu</c>, a boot flag for them, and
    /// (unless <paramref name="groups"/> is false) one IOMMU group per function that does not name its own.</summary>
    public FakeSysfsBuilder WithIommu(bool groups = true, params string[] units)
    {
        _iommuUnits.AddRange(units.Length == 0 ? ["dmar0", "dmar1"] : units);
        _iommuGroups = groups;
        if (!_commandLine.Contains("iommu", StringComparison.Ordinal))
        {
            _commandLine += " intel_iommu=on iommu=pt";
        }

        return this;
    }

    /// <summary><c>vfio-pci</c> loaded: <c>sys/module/vfio_pci</c> and <c>sys/bus/pci/drivers/vfio-pci</c>.</summary>
    public FakeSysfsBuilder WithVfioPci()
    {
        _vfioLoaded = true;
        return this;
    }

    public FakeSysfsBuilder WithFunction(FakePciFunction function)
    {
        _functions.Add(function);
        return this;
    }

    /// <summary>An SR-IOV NIC port: a PF with <paramref name="vfs"/> VFs enabled out of <paramref name="totalVfs"/>.
    /// VFs sit after the PF's routing id (offset 0x10 + 0x40 per PF function, stride 1), as Intel NICs place them.</summary>
    public FakeSysfsBuilder WithSriovNic(
        string pfAddress,
        int? numaNode = 0,
        int vfs = 4,
        int totalVfs = 64,
        string vendorId = "8086",
        string pfProductId = "1572",
        string vfProductId = "154c",
        string? ifname = null,
        string? driver = "i40e",
        string? vfDriver = "iavf",
        IReadOnlyList<byte>? vpd = null,
        IReadOnlyList<byte>? vfVpd = null)
    {
        WithFunction(new FakePciFunction
        {
            Address = pfAddress,
            VendorId = vendorId,
            ProductId = pfProductId,
            NumaNode = numaNode,
            Driver = driver,
            Netdev = ifname,
            MacAddress = ifname is null ? null : Mac(pfAddress, 0),
            TotalVfs = totalVfs,
            VfProductId = vfProductId.TrimStart('0'),
            Vpd = vpd,
        });
        var vfNetdevs = ifname is not null && vfDriver is not null and not "vfio-pci";
        foreach (var index in Enumerable.Range(0, vfs))
        {
            var address = VfAddress(pfAddress, index);
            WithFunction(new FakePciFunction
            {
                Address = address,
                VendorId = vendorId,
                ProductId = vfProductId,
                NumaNode = numaNode,
                Driver = vfDriver,
                Netdev = vfNetdevs ? $"{ifname}v{index}" : null,
                MacAddress = vfNetdevs ? Mac(address, index + 1) : null,
                ParentAddress = pfAddress,
                VfIndex = index,
                Vpd = vfVpd,
            });
        }

        return this;
    }

    /// <summary>A plain (type-PCI) device, e.g. a GPU, an NVMe drive or an accelerator.</summary>
    public FakeSysfsBuilder WithDevice(
        string address,
        string vendorId,
        string productId,
        string classCode,
        int? numaNode = 0,
        string? driver = null,
        int? iommuGroup = null) =>
        WithFunction(new FakePciFunction
        {
            Address = address,
            VendorId = vendorId,
            ProductId = productId,
            ClassCode = classCode,
            NumaNode = numaNode,
            Driver = driver,
            IommuGroup = iommuGroup,
        });

    /// <summary>A NUMA node (<c>sys/devices/system/node/node&lt;id&gt;</c>: <c>cpulist</c>, <c>meminfo</c>) with
    /// <paramref name="cpus"/> on <paramref name="socket"/>, each CPU's <c>topology/physical_package_id</c> and
    /// <c>thread_siblings_list</c> (consecutive CPUs of the list grouped by <paramref name="threadsPerCore"/>);
    /// <c>proc/meminfo</c> and <c>cpu/online</c> cover every node.</summary>
    public FakeSysfsBuilder WithNumaNode(int id, int socket, IReadOnlyList<int> cpus, long memoryMb, int threadsPerCore = 1)
    {
        _numaNodes.Add(new FakeNumaNode(id, socket, cpus, memoryMb, threadsPerCore));
        return this;
    }

    /// <summary>A host whose kernel shows no NUMA node directory: only <c>cpu/online</c>, the CPUs' topology
    /// (socket 0) and <c>proc/meminfo</c>.</summary>
    public FakeSysfsBuilder WithoutNumaNodes(IReadOnlyList<int> cpus, long memoryMb)
    {
        _flatMemory = new FakeNumaNode(0, 0, cpus, memoryMb, 1);
        return this;
    }

    /// <summary>Replaces one file of a function with <paramref name="content"/>, or deletes it when null.</summary>
    public FakeSysfsBuilder WithFile(string address, string file, string? content)
    {
        _fileOverrides.Add((address, file, content, false));
        return this;
    }

    /// <summary>Makes one file of a function unreadable (a directory stands in its place: reading it fails even
    /// for root, where permission bits would not).</summary>
    public FakeSysfsBuilder WithUnreadableFile(string address, string file)
    {
        _fileOverrides.Add((address, file, null, true));
        return this;
    }

    /// <summary>Writes the tree under <paramref name="directory"/>, or a new temporary directory.</summary>
    public FakeSysfs Build(string? directory = null)
    {
        var root = directory ?? Path.Combine(Path.GetTempPath(), "fake-sysfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var writer = new FakeSysfsWriter(root);
        writer.WriteText(Path.Combine("proc", "cmdline"), _commandLine + "\n");
        writer.WriteText(Path.Combine("proc", "sys", "kernel", "hostname"), _hostname + "\n");
        writer.CreateDirectory(Path.Combine("sys", "bus", "pci", "devices"));
        writer.CreateDirectory(Path.Combine("sys", "class", "net"));
        writer.CreateDirectory(Path.Combine("sys", "class", "iommu"));
        writer.CreateDirectory(Path.Combine("sys", "kernel", "iommu_groups"));
        writer.CreateDirectory(Path.Combine("sys", "module"));
        foreach (var unit in _iommuUnits)
        {
            writer.CreateDirectory(Path.Combine("sys", "devices", "virtual", "iommu", unit));
            writer.Link(Path.Combine("sys", "class", "iommu", unit), $"../../devices/virtual/iommu/{unit}");
        }

        if (_vfioLoaded)
        {
            writer.CreateDirectory(Path.Combine("sys", "module", "vfio_pci"));
            writer.CreateDirectory(Path.Combine("sys", "bus", "pci", "drivers", "vfio-pci"));
        }

        writer.WriteNumaNodes(_numaNodes, _flatMemory);
        var groups = AssignIommuGroups();
        var enabledVfs = _functions.Where(f => f.ParentAddress is not null).CountBy(f => f.ParentAddress!)
            .ToDictionary(StringComparer.Ordinal);
        foreach (var function in _functions)
        {
            writer.WriteFunction(function, groups.GetValueOrDefault(function.Address), enabledVfs.GetValueOrDefault(function.Address));
        }

        foreach (var (address, file, content, unreadable) in _fileOverrides)
        {
            writer.Override(address, file, content, unreadable);
        }

        return new FakeSysfs(root, [.. _functions]);
    }

    private Dictionary<string, int?> AssignIommuGroups()
    {
        var groups = new Dictionary<string, int?>(StringComparer.Ordinal);
        if (_iommuUnits.Count == 0 || !_iommuGroups)
        {
            return groups;
        }

        var taken = _functions.Where(f => f.IommuGroup is not null).Select(f => f.IommuGroup!.Value).ToHashSet();
        var next = 0;
        foreach (var function in _functions)
        {
            if (function.IommuGroup is { } group)
            {
                groups[function.Address] = group;
                continue;
            }

            while (!taken.Add(next))
            {
                next++;
            }

            groups[function.Address] = next;
        }

        return groups;
    }

    /// <summary>The address of VF <paramref name="index"/> of a PF, as a routing id offset from the PF's.</summary>
    public static string VfAddress(string pfAddress, int index)
    {
        var (domain, bus, slot, function) = FakeSysfsWriter.Split(pfAddress);
        var routingId = (bus << 8) | (slot << 3) | function;
        var vf = routingId + 0x10 + (function * 0x40) + index;
        return string.Create(CultureInfo.InvariantCulture,
            $"{domain}:{(vf >> 8) & 0xFF:x2}:{(vf >> 3) & 0x1F:x2}.{vf & 0x7:x1}");
    }

    private static string Mac(string address, int index)
    {
        var (_, bus, slot, function) = FakeSysfsWriter.Split(address);
        return string.Create(CultureInfo.InvariantCulture, $"52:54:{bus:x2}:{slot:x2}:{function:x2}:{index & 0xFF:x2}");
    }
}
