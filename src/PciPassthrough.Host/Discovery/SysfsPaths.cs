namespace PciPassthrough.Host.Discovery;

/// <summary>Where the kernel publishes what discovery and the readiness checks read, under a root directory.</summary>
/// <remarks>The root is a parameter (default <c>/</c>) so tests and <c>--root</c> read a copied or fake tree.</remarks>
public static class SysfsPaths
{
    public const string DefaultRoot = "/";

    public static string PciDevices(string root) => Path.Combine(root, "sys", "bus", "pci", "devices");

    public static string PciDrivers(string root) => Path.Combine(root, "sys", "bus", "pci", "drivers");

    public static string NetClass(string root) => Path.Combine(root, "sys", "class", "net");

    public static string IommuClass(string root) => Path.Combine(root, "sys", "class", "iommu");

    public static string IommuGroups(string root) => Path.Combine(root, "sys", "kernel", "iommu_groups");

    public static string Modules(string root) => Path.Combine(root, "sys", "module");

    public static string KernelCommandLine(string root) => Path.Combine(root, "proc", "cmdline");

    /// <summary>The sysfs directory of one function, or null when <paramref name="name"/> could leave the tree.</summary>
    public static string? PciDevice(string root, string name) =>
        IsPlainName(name) ? Path.Combine(PciDevices(root), name) : null;

    /// <summary>A single path component: no separator, not <c>.</c> or <c>..</c>, not empty.</summary>
    public static bool IsPlainName(string name) =>
        name.Length > 0 && name is not "." and not ".." && !name.Contains('/') && !name.Contains('\0');

    /// <summary>The last component of a symlink's target (<c>driver -> ../../bus/pci/drivers/iavf</c> gives
    /// <c>iavf</c>), or null when <paramref name="path"/> is not a symlink.</summary>
    public static string? LinkName(string path)
    {
        var target = new FileInfo(path).LinkTarget;
        return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
    }
}
