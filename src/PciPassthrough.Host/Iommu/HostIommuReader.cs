using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Host.Iommu;

/// <summary>Reads <see cref="HostIommuState"/> under a root directory; what cannot be read counts as absent.</summary>
public static class HostIommuReader
{
    public static HostIommuState Read(string root = SysfsPaths.DefaultRoot) => new(
        ReadCommandLine(root),
        [.. Names(SysfsPaths.IommuClass(root)).Order(StringComparer.Ordinal)],
        ReadGroups(root),
        ReadVfio(root));

    private static string? ReadCommandLine(string root)
    {
        try
        {
            return File.ReadAllText(SysfsPaths.KernelCommandLine(root)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Dictionary<int, IReadOnlyList<string>> ReadGroups(string root)
    {
        var groups = new Dictionary<int, IReadOnlyList<string>>();
        var directory = SysfsPaths.IommuGroups(root);
        foreach (var name in Names(directory))
        {
            if (SysfsValues.TryParseInt(name, out var group) && group >= 0)
            {
                groups[group] = [.. Names(Path.Combine(directory, name, "devices")).Order(StringComparer.Ordinal)];
            }
        }

        return groups;
    }

    private static VfioAvailability ReadVfio(string root)
    {
        if (Directory.Exists(Path.Combine(SysfsPaths.Modules(root), "vfio_pci"))
            || Directory.Exists(Path.Combine(SysfsPaths.PciDrivers(root), "vfio-pci")))
        {
            return VfioAvailability.Loaded;
        }

        var modules = Path.Combine(root, "lib", "modules");
        return Names(modules).Any(kernel =>
                Names(Path.Combine(modules, kernel, "kernel", "drivers", "vfio", "pci"))
                    .Any(file => file.StartsWith("vfio-pci.ko", StringComparison.Ordinal)))
            ? VfioAvailability.Installed
            : VfioAvailability.Missing;
    }

    private static IEnumerable<string> Names(string directory)
    {
        try
        {
            return Directory.Exists(directory)
                ? [.. new DirectoryInfo(directory).EnumerateFileSystemInfos().Select(e => e.Name)]
                : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
