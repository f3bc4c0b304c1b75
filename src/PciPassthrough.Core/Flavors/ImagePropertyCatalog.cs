using static PciPassthrough.Core.Flavors.ImagePropertyType;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// The image properties Nova 26 types (<c>nova/objects/image_meta.py</c>), in the order it sets them: the first
/// bad one decides the error. <c>hw_numa_cpus</c>/<c>hw_numa_mem</c> come from their <c>.N</c> keys and
/// <c>traits_required</c> from <c>trait:NAME</c> keys; every other property is ignored.
/// </summary>
internal static class ImagePropertyCatalog
{
    public const string NumaCpus = "hw_numa_cpus";
    public const string NumaMem = "hw_numa_mem";

    private static readonly string[] _architectures =
    [
        "alpha", "armv6", "armv7l", "armv7b", "aarch64", "cris", "i686", "ia64", "lm32", "m68k", "microblaze",
        "microblazeel", "mips", "mipsel", "mips64", "mips64el", "openrisc", "parisc", "parisc64", "ppc", "ppcle",
        "ppc64", "ppc64le", "ppcemb", "s390", "s390x", "sh4", "sh4eb", "sparc", "sparc64", "unicore32", "x86_64",
        "xtensa", "xtensaeb",
    ];

    private static readonly string[] _diskBuses = ["fdc", "ide", "sata", "scsi", "usb", "virtio", "xen", "lxc", "uml"];

    private static readonly Choice _architecture = new(_architectures, Lowered: true, new Dictionary<string, string>
    {
        ["i386"] = "i686",
        ["i486"] = "i686",
        ["i586"] = "i686",
        ["x86_32"] = "i686",
        ["x86_32p"] = "i686",
        ["amd64"] = "x86_64",
    });

    private static readonly Choice _diskBus = new(_diskBuses);

    private static readonly Choice _scsiModel = new(
        ["buslogic", "ibmvscsi", "lsilogic", "lsisas1068", "lsisas1078", "virtio-scsi", "vmpvscsi"], Lowered: true,
        new Dictionary<string, string> { ["lsilogicsas"] = "lsisas1068", ["paravirtual"] = "vmpvscsi" });

    /// <summary>Typed properties in Nova's field order (<see cref="NumaCpus"/>/<see cref="NumaMem"/> mark where the
    /// <c>.N</c> keys are read).</summary>
    public static IReadOnlyList<KeyValuePair<string, ImagePropertyType?>> Fields { get; } =
    [
        new("hw_architecture", _architecture),
        new("hw_emulation_architecture", _architecture),
        new("hw_auto_disk_config", new Text()),
        new("hw_boot_menu", new FlexibleBoolean()),
        new("hw_cdrom_bus", _diskBus),
        new("hw_cpu_cores", new Integer()),
        new("hw_cpu_sockets", new Integer()),
        new("hw_cpu_max_cores", new Integer()),
        new("hw_cpu_max_sockets", new Integer()),
        new("hw_cpu_max_threads", new Integer()),
        new("hw_cpu_policy", new Choice(["dedicated", "shared", "mixed"])),
        new("hw_cpu_thread_policy", new Choice(["prefer", "isolate", "require"])),
        new("hw_cpu_realtime_mask", new Text()),
        new("hw_cpu_threads", new Integer()),
        new("hw_device_id", new Integer()),
        new("hw_disk_bus", _diskBus),
        new("hw_disk_type", new Text()),
        new("hw_floppy_bus", _diskBus),
        new("hw_firmware_type", new Choice(["uefi", "bios"])),
        new("hw_input_bus", new Choice(["usb", "virtio"])),
        new("hw_ipxe_boot", new FlexibleBoolean()),
        new("hw_locked_memory", new FlexibleBoolean()),
        new("hw_machine_type", new Text()),
        new("hw_mem_encryption", new FlexibleBoolean()),
        new("hw_mem_page_size", new Text()),
        new("hw_numa_nodes", new Integer()),
        new(NumaCpus, null),
        new(NumaMem, null),
        new("hw_pci_numa_affinity_policy", new Choice(["required", "legacy", "preferred", "socket"])),
        new("hw_pointer_model", new Choice(["usbtablet"])),
        new("hw_pmu", new FlexibleBoolean()),
        new("hw_qemu_guest_agent", new FlexibleBoolean()),
        new("hw_rescue_bus", _diskBus),
        new("hw_rescue_device", new Choice(["cdrom", "disk", "floppy", "fs", "lun"])),
        new("hw_rng_model", new Choice(["virtio"])),
        new("hw_time_hpet", new FlexibleBoolean()),
        new("hw_serial_port_count", new Integer()),
        new("hw_scsi_model", _scsiModel),
        new("hw_video_model", new Choice(["cirrus", "qxl", "vga", "vmvga", "xen", "virtio", "gop", "none", "bochs"])),
        new("hw_video_ram", new Integer()),
        new("hw_vif_model", new Choice(
            ["virtio", "ne2k_pci", "pcnet", "rtl8139", "e1000", "e1000e", "netfront", "spapr-vlan", "lan9118", "sriov",
             "vmxnet", "vmxnet3"], Lowered: true,
            new Dictionary<string, string>
            {
                ["virtuale1000"] = "e1000", ["virtuale1000e"] = "e1000e", ["virtualpcnet32"] = "pcnet",
                ["virtualsriovethernetcard"] = "sriov", ["virtualvmxnet"] = "vmxnet", ["virtualvmxnet3"] = "vmxnet3",
            })),
        new("hw_viommu_model", new Choice(["intel", "smmuv3", "virtio", "auto"])),
        new("hw_vm_mode", new Choice(["hvm", "xen", "uml", "exe"], Lowered: true,
            new Dictionary<string, string> { ["pv"] = "xen", ["hv"] = "hvm", ["baremetal"] = "hvm" })),
        new("hw_watchdog_action", new Choice(["none", "pause", "poweroff", "reset", "disabled"])),
        new("hw_vif_multiqueue_enabled", new FlexibleBoolean()),
        new("hw_tpm_model", new Choice(["tpm-tis", "tpm-crb"])),
        new("hw_tpm_version", new Choice(["1.2", "2.0"])),
        new("hw_ephemeral_encryption", new FlexibleBoolean()),
        new("hw_ephemeral_encryption_format", new Choice(["plain", "luks", "luksv2"])),
        new("img_bittorrent", new FlexibleBoolean()),
        new("img_bdm_v2", new FlexibleBoolean()),
        new("img_block_device_mapping", new ListOfStringMaps()),
        new("img_cache_in_nova", new FlexibleBoolean()),
        new("img_compression_level", new Integer()),
        new("img_hv_requested_version", new VersionPredicate()),
        new("img_hv_type", new Choice(
            ["baremetal", "bhyve", "docker", "fake", "hyperv", "ironic", "kqemu", "kvm", "lxc", "lxd", "openvz",
             "parallels", "phyp", "qemu", "test", "uml", "vbox", "vz", "vmware", "xen", "zvm", "prsm"], Lowered: true,
            new Dictionary<string, string> { ["xapi"] = "xen" })),
        new("img_config_drive", new Choice(["optional", "mandatory"])),
        new("img_linked_clone", new FlexibleBoolean()),
        new("img_mappings", new ListOfStringMaps()),
        new("img_owner_id", new Text()),
        new("img_root_device_name", new Text()),
        new("img_use_agent", new FlexibleBoolean()),
        new("img_version", new Integer()),
        new("img_signature", new Text()),
        new("img_signature_hash_method", new Choice(["SHA-224", "SHA-256", "SHA-384", "SHA-512"])),
        new("img_signature_certificate_uuid", new Anything()),
        new("img_signature_key_type", new Choice(
            ["DSA", "ECC_SECP384R1", "ECC_SECP521R1", "ECC_SECT409K1", "ECC_SECT409R1", "ECC_SECT571K1", "ECC_SECT571R1",
             "RSA-PSS"])),
        new("img_hide_hypervisor_id", new FlexibleBoolean()),
        new("os_admin_user", new Text()),
        new("os_command_line", new Text()),
        new("os_distro", new Text()),
        new("os_require_quiesce", new FlexibleBoolean()),
        new("os_secure_boot", new Choice(["required", "disabled", "optional"])),
        new("os_skip_agent_inject_files_at_boot", new FlexibleBoolean()),
        new("os_skip_agent_inject_ssh", new FlexibleBoolean()),
        new("os_type", new Choice(["linux", "windows"], Lowered: true)),
    ];

    /// <summary>Pre-Nova-13 names, set before the current ones (which win when both are given).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> LegacyNames { get; } =
    [
        new("architecture", "hw_architecture"),
        new("owner_id", "img_owner_id"),
        new("vmware_disktype", "hw_disk_type"),
        new("vmware_image_version", "img_version"),
        new("vmware_ostype", "os_distro"),
        new("auto_disk_config", "hw_auto_disk_config"),
        new("ipxe_boot", "hw_ipxe_boot"),
        new("xenapi_device_id", "hw_device_id"),
        new("xenapi_image_compression_level", "img_compression_level"),
        new("vmware_linked_clone", "img_linked_clone"),
        new("xenapi_use_agent", "img_use_agent"),
        new("xenapi_skip_agent_inject_ssh", "os_skip_agent_inject_ssh"),
        new("xenapi_skip_agent_inject_files_at_boot", "os_skip_agent_inject_files_at_boot"),
        new("cache_in_nova", "img_cache_in_nova"),
        new("vm_mode", "hw_vm_mode"),
        new("bittorrent", "img_bittorrent"),
        new("mappings", "img_mappings"),
        new("block_device_mapping", "img_block_device_mapping"),
        new("bdm_v2", "img_bdm_v2"),
        new("root_device_name", "img_root_device_name"),
        new("hypervisor_version_requires", "img_hv_requested_version"),
        new("hypervisor_type", "img_hv_type"),
    ];

    public static ImagePropertyType TypeOf(string field) => Fields.First(f => f.Key == field).Value!;

    public static ImagePropertyType ScsiModel => _scsiModel;
}
