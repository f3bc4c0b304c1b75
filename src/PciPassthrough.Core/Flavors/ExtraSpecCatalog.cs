using static PciPassthrough.Core.Flavors.ExtraSpecRule;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// The extra spec keys Nova 26's flavor API knows, with the values each accepts (SIM-30 and the validators of
/// <c>nova/api/validation/extra_specs/</c>). A key of a listed namespace that matches no rule is unknown.
/// </summary>
internal static class ExtraSpecCatalog
{
    /// <summary>CPU-set text: <c>0-3,^2,5</c>.</summary>
    private const string CpuMask = @"\^?\d+((-\d+)?(,\^?\d+(-\d+)?)?)*";

    /// <summary>The optional request-group suffix of <c>resources</c> and <c>trait</c> keys.</summary>
    private const string GroupSuffix = "([a-zA-Z0-9_-]{1,64})?";

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
        Text("aggregate_instance_extra_specs:{key}", "aggregate_instance_extra_specs:.+"),
        .. _hostCapabilities.Select(name => Text($"capabilities:{name}")),
        .. _filteredCapabilities.Select(name => Text($"capabilities:{name}{{filter}}", $@"capabilities:{name}(:\w+)*")),
        Boolean("hw:cpu_realtime"),
        Pattern("hw:cpu_realtime_mask", CpuMask),
        Boolean("hw:hide_hypervisor_id"),
        Enum("hw:cpu_policy", "dedicated", "shared", "mixed"),
        Enum("hw:cpu_thread_policy", "prefer", "isolate", "require"),
        Enum("hw:emulator_threads_policy", "isolate", "share"),
        Pattern("hw:cpu_dedicated_mask", CpuMask),
        Pattern("hw:mem_page_size", @"(large|small|any|\d+([kKMGT]i?)?(b|bit|B)?)"),
        Boolean("hw:locked_memory"),
        Integer("hw:numa_nodes", min: 1),
        Pattern("hw:numa_cpus.{num}", CpuMask, nameRegex: @"hw:numa_cpus.\d+"),
        Integer("hw:numa_mem.{num}", min: 1, nameRegex: @"hw:numa_mem.\d+"),
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
        Pattern("hw:pmem", "([a-zA-Z0-9_]+(,)?)+"),
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
        Pattern("pci_passthrough:alias", @"[^:]+:\d+(?:\s*,\s*[^:]+:\d+)*"),
        .. QuotaRules(),
        Integer("resources{group}:{resource_class}", nameRegex: $"resources{GroupSuffix}:({PlacementName(PlacementNames.ResourceClasses)})"),
        Integer("resources{group}:CUSTOM_{resource}", nameRegex: $"resources{GroupSuffix}:CUSTOM_[A-Z0-9_]+"),
        EnumNamed("trait{group}:{trait}", $"trait{GroupSuffix}:({PlacementName(PlacementNames.Traits)})", "required", "forbidden"),
        EnumNamed("trait{group}:CUSTOM_{trait}", $"trait{GroupSuffix}:CUSTOM_[A-Z0-9_]+", "required", "forbidden"),
        Text("vmware:hw_version"),
        Text("vmware:storage_policy"),
    ];

    /// <summary>
    /// Namespaces whose unknown keys are rejected; matched against the text before a key's first <c>:</c>.
    /// </summary>
    public static IReadOnlyList<string> Namespaces { get; } =
    [
        "accel", "aggregate_instance_extra_specs", "capabilities", "hw", "hw_rng", "hw_video", "os",
        "pci_passthrough", "quota", $"resources{GroupSuffix}", $"trait{GroupSuffix}", "vmware",
    ];

    private static string PlacementName(IEnumerable<string> names) => string.Join('|', names.Order(StringComparer.Ordinal));

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
