using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;

namespace PciPassthrough.Host.Discovery;

/// <summary>
/// Reads every PCI function under <c>&lt;root&gt;/sys/bus/pci/devices</c> into the device record libvirt would
/// report to Nova (02 LC-1). Never throws for what it finds on disk: a function that cannot be read is skipped or
/// reported with less detail, and each such case becomes a <see cref="DiscoveryWarning"/>.
/// </summary>
/// <remarks>
/// Classification follows libvirt: a function with the SR-IOV capability (<c>sriov_totalvfs</c> &gt; 0, or
/// <c>virtfn*</c> links) is <c>type-PF</c> even with no VF enabled; one with a <c>physfn</c> link is
/// <c>type-VF</c> (or <c>vdpa</c> when it carries a vDPA device); anything else is <c>type-PCI</c>.
/// Netdev feature flags (<c>capabilities.network</c>) come from ethtool, not sysfs, so they are not reported here.
/// </remarks>
public sealed class SysfsDiscovery(string root = SysfsPaths.DefaultRoot)
{
    private const string ReadFix = "look for PCI errors about this device in dmesg: a function whose sysfs files "
        + "cannot be read is failing or being removed";

    private const string VpdFix = "a remote_managed device_spec needs the card serial number from the VPD: "
        + "update the card's firmware, which writes the VPD";

    public string Root { get; } = root;

    public DiscoveryResult Discover()
    {
        var warnings = new List<DiscoveryWarning>();
        var devicesDirectory = SysfsPaths.PciDevices(Root);
        if (!Directory.Exists(devicesDirectory))
        {
            warnings.Add(new(null, $"{devicesDirectory} does not exist: no PCI device can be discovered.",
                "run on the compute host, or pass --root with the directory that holds sys/ and proc/"));
            return new([], warnings);
        }

        var functions = new List<(PciAddress Address, DiscoveredFunction Function)>();
        foreach (var name in ListNames(devicesDirectory, warnings))
        {
            if (!PciAddress.TryParse(name, out var address))
            {
                // 01 DS-35: Nova skips such devices when matching; we drop them here and say so.
                warnings.Add(new(name, "skipped: not a PCI address within the supported ranges "
                    + "(dddd:bb:ss.f with domain <= ffff, bus <= ff, slot <= 1f, function <= 7).",
                    "Nova cannot assign it either; to pass through a device behind Intel VMD (domain 10000 and up), "
                    + "turn VMD off for its slot in the firmware setup."));
                continue;
            }

            var function = new FunctionReader(Path.Combine(devicesDirectory, name), address.ToString(), warnings).Read();
            if (function is not null)
            {
                functions.Add((address, function));
            }
        }

        functions.Sort((a, b) => a.Address.CompareTo(b.Address));
        return new(InheritParentSerials([.. functions.Select(f => f.Function)]), warnings);
    }

    /// <summary>02 LC-1: a VF without a serial of its own reports its PF's (vDPA devices do not).</summary>
    private static List<DiscoveredFunction> InheritParentSerials(List<DiscoveredFunction> functions)
    {
        var serials = functions
            .Where(f => !string.IsNullOrEmpty(f.Record.CardSerialNumber))
            .ToDictionary(f => f.Record.Address, f => f.Record.CardSerialNumber, StringComparer.Ordinal);
        return [.. functions.Select(f =>
            f.Record is { DeviceType: PciDeviceType.VirtualFunction, CardSerialNumber: null or "", ParentAddress: { } parent }
            && serials.TryGetValue(parent, out var serial)
                ? f with { Record = f.Record with { CardSerialNumber = serial } }
                : f)];
    }

    private static IEnumerable<string> ListNames(string directory, List<DiscoveryWarning> warnings)
    {
        try
        {
            return [.. new DirectoryInfo(directory).EnumerateFileSystemInfos().Select(e => e.Name)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add(new(null, $"cannot list {directory}: {e.Message}", ReadFix));
            return [];
        }
    }

    /// <summary>Reads one function directory; each unreadable file becomes a warning naming it.</summary>
    private sealed class FunctionReader(string directory, string address, List<DiscoveryWarning> warnings)
    {
        public DiscoveredFunction? Read()
        {
            var vendorId = ReadId("vendor");
            var productId = ReadId("device");
            if (vendorId is null || productId is null)
            {
                Warn("skipped: without vendor and device ids it cannot be matched by any device_spec.", ReadFix);
                return null;
            }

            var totalVfs = ReadCount("sriov_totalvfs") ?? 0;
            var parentAddress = SysfsPaths.LinkName(Path.Combine(directory, "physfn"))?.ToLowerInvariant();
            var netdev = FirstEntry("net");
            var type = totalVfs > 0 || HasEntry("virtfn")
                ? PciDeviceType.PhysicalFunction
                : parentAddress is null ? PciDeviceType.Pci
                : HasEntry("vdpa") ? PciDeviceType.Vdpa
                : PciDeviceType.VirtualFunction;
            var record = new PciDeviceRecord
            {
                Address = address,
                VendorId = vendorId,
                ProductId = productId,
                DeviceType = type,
                ParentAddress = parentAddress,
                NumaNode = ReadNumaNode(),
                Netdev = netdev,
                // Nova looks the PF's netdev up only for a VF that is itself a netdev (libvirt host.py).
                ParentIfname = type == PciDeviceType.VirtualFunction && netdev is not null
                    ? FirstEntry(Path.Combine("physfn", "net")) : null,
                VfProductId = type == PciDeviceType.PhysicalFunction ? ReadId("sriov_vf_device") : null,
                CardSerialNumber = ReadSerialNumber(),
                Driver = SysfsPaths.LinkName(Path.Combine(directory, "driver")),
                IommuGroup = ReadIommuGroup(),
                ClassCode = ReadClass(),
            };
            var enabledVfs = type == PciDeviceType.PhysicalFunction ? ReadCount("sriov_numvfs") : 0;
            return new(record, totalVfs, enabledVfs);
        }

        private void Warn(string message, string fix) => warnings.Add(new(address, message, fix));

        /// <summary>The trimmed text of a file; null when it is missing (silently) or unreadable (with a warning).</summary>
        private string? ReadText(string name)
        {
            var path = Path.Combine(directory, name);
            if (!Path.Exists(path))
            {
                return null;
            }

            try
            {
                return File.ReadAllText(path).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Warn($"cannot read {name}: {e.Message}", ReadFix);
                return null;
            }
        }

        /// <summary>An id file (<c>0x8086</c>, or bare hex for <c>sriov_vf_device</c>) as 4 lower-case hex digits.</summary>
        private string? ReadId(string name) =>
            ReadNumber(name, text => SysfsValues.TryParseHex(text, out var id) && id <= 0xFFFF ? (int)id : null,
                "not a 16-bit hex id; ignored.") is { } id ? $"{id:x4}" : null;

        private int? ReadCount(string name) =>
            ReadNumber(name, text => SysfsValues.TryParseInt(text, out var count) && count >= 0 ? count : null,
                "not a count; ignored.");

        /// <summary>02 LC-1: <c>-1</c> or a missing file means the platform does not say.</summary>
        private int? ReadNumaNode() =>
            ReadNumber("numa_node", text => SysfsValues.TryParseInt(text, out var node) && node >= -1 ? node : null,
                "not a NUMA node; the device is reported without one.") is >= 0 and var node ? node : null;

        private string? ReadClass() =>
            ReadNumber("class", text => SysfsValues.TryParseHex(text, out var code) && code <= 0xFFFFFF ? (int)code : null,
                "not a PCI class code; ignored.") is { } code ? $"0x{code:x6}" : null;

        /// <summary>Reads and parses a file; text that does not parse is reported with <paramref name="complaint"/>.</summary>
        private int? ReadNumber(string name, Func<string, int?> parse, string complaint)
        {
            var text = ReadText(name);
            var value = text is null ? null : parse(text);
            if (text is not null && value is null)
            {
                Warn($"{name} holds '{text}', {complaint}", ReadFix);
            }

            return value;
        }

        private int? ReadIommuGroup()
        {
            var name = SysfsPaths.LinkName(Path.Combine(directory, "iommu_group"));
            if (name is null)
            {
                return null;
            }

            if (SysfsValues.TryParseInt(name, out var group) && group >= 0)
            {
                return group;
            }

            Warn($"iommu_group points to '{name}', not a group number; ignored.", ReadFix);
            return null;
        }

        private string? ReadSerialNumber()
        {
            var path = Path.Combine(directory, "vpd");
            if (!Path.Exists(path))
            {
                return null;
            }

            byte[] image;
            try
            {
                image = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Warn($"cannot read vpd: {e.Message}; no card serial number is reported.", VpdFix);
                return null;
            }

            if (image.Length == 0)
            {
                return null;
            }

            var result = VpdParser.Parse(image);
            if (result.Problem is not null)
            {
                Warn($"vpd is malformed ({result.Problem}); no card serial number is reported.", VpdFix);
            }

            return result.SerialNumber;
        }

        private string? FirstEntry(string subdirectory)
        {
            var path = Path.Combine(directory, subdirectory);
            if (!Directory.Exists(path))
            {
                return null;
            }

            try
            {
                return new DirectoryInfo(path).EnumerateFileSystemInfos()
                    .Select(e => e.Name).Order(StringComparer.Ordinal).FirstOrDefault();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Warn($"cannot list {subdirectory}: {e.Message}", ReadFix);
                return null;
            }
        }

        /// <summary>Whether the directory has an entry named <paramref name="prefix"/> followed by a number.</summary>
        private bool HasEntry(string prefix)
        {
            try
            {
                return new DirectoryInfo(directory).EnumerateFileSystemInfos(prefix + "*")
                    .Any(e => SysfsValues.IsNumbered(e.Name, prefix));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Warn($"cannot list the function's directory: {e.Message}", ReadFix);
                return false;
            }
        }
    }
}
