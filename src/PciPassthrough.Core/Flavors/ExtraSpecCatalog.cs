using System.Text.RegularExpressions;
using static PciPassthrough.Core.Flavors.ExtraSpecRule;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// The extra spec keys Nova 26's flavor API knows, with the values each accepts (SIM-30 and the validators of
/// <c>nova/api/validation/extra_specs/</c>). A key of a listed namespace that matches no rule is unknown.
/// </summary>
internal static partial class ExtraSpecCatalog
{
    /// <summary>CPU-set text as Nova documents it (<c>0-3,^2,5</c>); <see cref="CpuMaskRegex"/> is the same language.</summary>
    private const string CpuMask = @"\^?\d+((-\d+)?(,\^?\d+(-\d+)?)?)*";

    private static readonly string[] _hostCapabilities =
    [
        "id", "uuid", "service_id", "host", "vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used",
        "local_gb_used", "hypervisor_type", "hypervisor_version", "hypervisor_hostname", "free_ram_mb",
        "free_disk_gb", "current_workload", "running_vms", "disk_available_least", "host_ip", "mapped",
        "cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio", "total_usable_ram_mb",
        "total_usable_disk_gb", "disk_mb_used", "free_disk_mb", "vcpus_total", "num_instances", "num_io_ops",
        "failed_builds", "aggregates", "cell_uuid", "updated",
    ];

    private static readonly string[] _filteredCapabilities =
    [
        "cpu_info", "metrics", "stats", "numa_topology", "supported_hv_specs", "pci_device_pools", "nodename",
        "pci_stats", "supported_instances", "limits", "instances",
    ];

    private static readonly string[] _quotaLevels = ["custom", "high", "normal", "low"];

    /// <summary>Every rule, in the order Nova registers them (the first matching rule decides).</summary>
    public static IReadOnlyList<ExtraSpecRule> Rules { get; } =
    [
        Text("accel:device_profile"),
        Text("aggregate_instance_extra_specs:{key}").For("aggregate_instance_extra_specs:{key}",
            key => key.Length > "aggregate_instance_extra_specs:".Length && !key.Contains('\n')),
        .. _hostCapabilities.Select(name => Text($"capabilities:{name}")),
        .. _filteredCapabilities.Select(name => Text($"capabilities:{name}{{filter}}")
            .For($"capabilities:{name}{{filter}}", key => CapabilityFilter().IsMatch(key) && CapabilityFilter().Match(key).Groups[1].Value == name)),
        Boolean("hw:cpu_realtime"),
        Pattern("hw:cpu_realtime_mask", CpuMask, CpuMaskRegex()),
        Boolean("hw:hide_hypervisor_id"),
        Enum("hw:cpu_policy", "dedicated", "shared", "mixed"),
        Enum("hw:cpu_thread_policy", "prefer", "isolate", "require"),
        Enum("hw:emulator_threads_policy", "isolate", "share"),
        Pattern("hw:cpu_dedicated_mask", CpuMask, CpuMaskRegex()),
        Pattern("hw:mem_page_size", @"(large|small|any|\d+([kKMGT]i?)?(b|bit|B)?)", PageSizeRegex()),
        Boolean("hw:locked_memory"),
        Integer("hw:numa_nodes", min: 1),
        Pattern("hw:numa_cpus.{num}", CpuMask, CpuMaskRegex()).For("hw:numa_cpus.{num}", key => PerNodeKey().Match(key) is { Success: true } m && m.Groups[1].Value == "cpus"),
        Integer("hw:numa_mem.{num}", min: 1).For("hw:numa_mem.{num}", key => PerNodeKey().Match(key) is { Success: true } m && m.Groups[1].Value == "mem"),
        Enum("hw:pci_numa_affinity_policy", "required", "preferred", "legacy", "socket"),
        Integer("hw:cpu_sockets", min: 1),
        Integer("hw:cpu_cores", min: 1),
        Integer("hw:cpu_threads", min: 1),
        Integer("hw:max_cpu_sockets", min: 1),
        Integer("hw:max_cpu_cores", min: 1),
        Integer("hw:max_cpu_threads", min: 1),
        Boolean("hw:boot_menu"),
        Boolean("hw:vif_multiqueue_enabled"),
        Boolean("hw:mem_encryption"),
        Pattern("hw:pmem", "([a-zA-Z0-9_]+(,)?)+", PersistentMemoryRegex()),
        Boolean("hw:pmu"),
        Integer("hw:serial_port_count", min: 0),
        Enum("hw:tpm_model", "tpm-tis", "tpm-crb"),
        Enum("hw:tpm_version", "1.2", "2.0"),
        Enum("hw:watchdog_action", "none", "pause", "poweroff", "reset", "disabled"),
        Enum("hw:viommu_model", "intel", "smmuv3", "virtio", "auto"),
        Boolean("hw:ephemeral_encryption"),
        Enum("hw:ephemeral_encryption_format", "plain", "luks", "luksv2"),
        Boolean("hw_rng:allowed"),
        Integer("hw_rng:rate_bytes", min: 0),
        Integer("hw_rng:rate_period", min: 0),
        Integer("hw_video:ram_max_mb", min: 0),
        Boolean("hide_hypervisor_id"),
        Enum("group_policy", "isolate", "none"),
        Enum("os:secure_boot", "disabled", "required"),
        Enum("os:resolution", "1024x768", "1280x1024", "1600x1200", "1920x1200", "2560x1600", "3840x2160"),
        Integer("os:monitors", min: 1, max: 8),
        Enum("os:vram", "64", "128", "256", "512", "1024"),
        // 03 RQ-14: the whole value is name:count items; whether each alias exists is checked at boot
        Pattern("pci_passthrough:alias", @"[^:]+:\d+(?:\s*,\s*[^:]+:\d+)*", AliasRegex()),
        .. QuotaRules(),
        Integer("resources{group}:{resource_class}").For("resources{group}:{resource_class}",
            key => GroupedName(key, "resources") is { } name && (PlacementNames.ResourceClasses.Contains(name) || IsCustom(name))),
        Enum("trait{group}:{trait}", "required", "forbidden").For("trait{group}:{trait}",
            key => GroupedName(key, "trait") is { } name && (PlacementNames.Traits.Contains(name) || IsCustom(name))),
        Text("vmware:hw_version"),
        Text("vmware:storage_policy"),
    ];

    /// <summary>Namespaces whose unknown keys are rejected (<c>resources</c> and <c>trait</c> with any group suffix).</summary>
    public static IReadOnlySet<string> Namespaces { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "accel", "aggregate_instance_extra_specs", "capabilities", "hw", "hw_rng", "hw_video", "os", "pci_passthrough",
        "quota", "resources", "trait", "vmware",
    };

    /// <summary>
    /// The name after <c>PREFIX[group]:</c> when <paramref name="key"/> has that form (group: 1–64 of
    /// <c>[a-zA-Z0-9_-]</c>), else null.
    /// </summary>
    public static string? GroupedName(string key, string prefix)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && key.StartsWith(prefix, StringComparison.Ordinal) && IsGroupSuffix(key.AsSpan(prefix.Length, colon - prefix.Length))
            ? key[(colon + 1)..]
            : null;
    }

    /// <summary>Nova's namespace pattern <c>PREFIX([a-zA-Z0-9_-]{1,64})?</c>.</summary>
    public static bool IsGroupedNamespace(string nameSpace, string prefix) =>
        nameSpace.StartsWith(prefix, StringComparison.Ordinal) && IsGroupSuffix(nameSpace.AsSpan(prefix.Length));

    private static bool IsGroupSuffix(ReadOnlySpan<char> suffix) =>
        suffix.Length <= 64 && !suffix.ContainsAnyExcept(GroupCharacters);

    private static bool IsCustom(string name) =>
        name.Length > "CUSTOM_".Length && name.StartsWith("CUSTOM_", StringComparison.Ordinal)
        && !name.AsSpan("CUSTOM_".Length).ContainsAnyExcept(CustomCharacters);

    private const string GroupCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    private const string CustomCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

    // The same language as Nova's pattern, written so that a failing match cannot backtrack exponentially.
    [GeneratedRegex(@"\A\^?\d+(?:-\d+|,\^?\d+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex CpuMaskRegex();

    [GeneratedRegex(@"\A(?:large|small|any|\d+(?:[kKMGT]i?)?(?:b|bit|B)?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex PageSizeRegex();

    [GeneratedRegex(@"\A[a-zA-Z0-9_]+(?:,[a-zA-Z0-9_]+)*,?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PersistentMemoryRegex();

    // Python's \s also matches the separators 0x1C-0x1F.
    [GeneratedRegex(@"\A[^:]+:\d+(?:[\s\x1c-\x1f]*,[\s\x1c-\x1f]*[^:]+:\d+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex AliasRegex();

    // Nova's "hw:numa_cpus.{num}" leaves the dot unescaped: any character goes.
    [GeneratedRegex(@"\Ahw:numa_(cpus|mem).\d+\z", RegexOptions.CultureInvariant)]
    private static partial Regex PerNodeKey();

    [GeneratedRegex(@"\Acapabilities:([a-z_]+?)(?::\w+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex CapabilityFilter();

    private static IEnumerable<ExtraSpecRule> QuotaRules()
    {
        foreach (var resource in new[] { "cpu", "memory", "disk_io", "vif" })
        {
            yield return Integer($"quota:{resource}_limit", min: 0);
            yield return Integer($"quota:{resource}_reservation");
            yield return Enum($"quota:{resource}_shares_level", _quotaLevels);
            yield return Integer($"quota:{resource}_shares_share", min: 0);
        }

        foreach (var name in new[] { "cpu_shares", "cpu_period" })
        {
            yield return Integer($"quota:{name}", min: 0);
        }

        yield return Integer("quota:cpu_quota");
        foreach (var name in new[]
                 {
                     "disk_read_bytes_sec", "disk_read_iops_sec", "disk_write_bytes_sec", "disk_write_iops_sec",
                     "disk_total_bytes_sec", "disk_total_iops_sec", "vif_inbound_average", "vif_inbound_peak",
                     "vif_inbound_burst", "vif_outbound_average", "vif_outbound_peak", "vif_outbound_burst",
                 })
        {
            yield return Integer($"quota:{name}", min: 0);
        }
    }
}
