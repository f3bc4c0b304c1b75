using System.Globalization;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pci;
using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Host.Iommu;

/// <summary>
/// Decides whether a host is ready for PCI passthrough, from what was read off it: the host-wide checks (IOMMU
/// requested at boot and active, IOMMU groups, <c>vfio-pci</c>), then per device (IOMMU group companions, SR-IOV
/// VFs enabled, driver binding) and what discovery had to skip. Every warn or fail says what to do.
/// </summary>
/// <remarks>Devices that pass a per-device check are summarised in one line per check, so a host with thousands of
/// VFs still prints a page; every warn or fail gets its own line.</remarks>
public static class ReadinessChecker
{
    public const string CommandLineCheck = "kernel command line", IommuCheck = "IOMMU", GroupsCheck = "IOMMU groups",
        VfioCheck = "vfio-pci", GroupCheck = "IOMMU group", SriovCheck = "SR-IOV VFs", DriverCheck = "driver binding",
        DiscoveryCheck = "discovery", DeviceSpecCheck = "device_spec";

    private const string BootFix = "add intel_iommu=on iommu=pt (Intel) or amd_iommu=on iommu=pt (AMD) to "
        + "GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub (or grub2-mkconfig -o /boot/grub2/grub.cfg) and reboot";

    /// <summary>
    /// Checks the host for the devices a configuration selects; without a configuration, for the devices one would
    /// usually pass through (<see cref="PassthroughCandidate.Guess"/>). A configuration the compute would refuse
    /// fails the <c>device_spec</c> check.
    /// </summary>
    public static ReadinessReport Check(HostIommuState host, HostInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        if (!inventory.IsConfigured)
        {
            return Check(host, inventory.Discovery, PassthroughCandidate.Guess(inventory.Discovery.Records));
        }

        var selected = inventory.Devices.Where(d => d.Spec is not null)
            .Select(d => new PassthroughCandidate(d.Record, d.Spec!.GetTagString("managed") switch
            {
                "true" => true,
                "false" => false,
                _ => null,
            }))
            .ToList();
        return Check(host, inventory.Discovery, selected, CheckDeviceSpecs(inventory, selected.Count));
    }

    /// <summary>Checks the host for <paramref name="candidates"/>, the devices meant to be passed through.</summary>
    public static ReadinessReport Check(
        HostIommuState host, DiscoveryResult discovery, IReadOnlyList<PassthroughCandidate> candidates) =>
        Check(host, discovery, candidates, []);

    private static ReadinessReport Check(
        HostIommuState host, DiscoveryResult discovery, IReadOnlyList<PassthroughCandidate> candidates,
        IEnumerable<ReadinessCheck> configChecks)
    {
        List<ReadinessCheck> checks =
        [
            CheckCommandLine(host.KernelCommandLine),
            CheckIommu(host),
            CheckGroups(host),
            CheckVfio(host.Vfio),
            .. configChecks,
        ];
        if (host.Groups.Count > 0)
        {
            checks.AddRange(CheckDeviceGroups(host, discovery, candidates));
        }

        checks.AddRange(discovery.Functions
            .Where(f => f.Record.DeviceType == PciDeviceType.PhysicalFunction)
            .Select(CheckVfs));
        checks.AddRange(CheckDrivers(candidates));
        checks.AddRange(discovery.Warnings.Select(w =>
            new ReadinessCheck(DiscoveryCheck, w.Address, CheckStatus.Warn, w.Message, w.Fix)));
        return new(checks);
    }

    private static IEnumerable<ReadinessCheck> CheckDeviceSpecs(HostInventory inventory, int selected)
    {
        foreach (var (location, error) in inventory.ConfigErrors)
        {
            yield return new(DeviceSpecCheck, location.ToString(), CheckStatus.Fail,
                $"the compute would refuse to start: {error}", "correct this [pci] device_spec value (pcictl config check)");
        }

        if (inventory.ConfigErrors.Count > 0)
        {
            yield break;
        }

        yield return selected > 0
            ? new(DeviceSpecCheck, null, CheckStatus.Pass,
                $"{Count(inventory.Specs.Count, "entry selects", "entries select")} {Count(selected, "device")} of this host.")
            : new(DeviceSpecCheck, null, CheckStatus.Warn,
                $"{Count(inventory.Specs.Count, "entry selects", "entries select")} no device of this host: nothing can be passed through.",
                "compare the entries' vendor_id, product_id and address with pcictl host discover --config, "
                + "which says why each device is not selected");
    }

    private static ReadinessCheck CheckCommandLine(string? commandLine)
    {
        if (commandLine is null)
        {
            return new(CommandLineCheck, null, CheckStatus.Warn, "cannot read /proc/cmdline.");
        }

        // Everything after a lone "--" is for init, not the kernel.
        var flags = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeWhile(word => word != "--")
            .Where(word => word.StartsWith("intel_iommu=", StringComparison.Ordinal)
                || word.StartsWith("amd_iommu=", StringComparison.Ordinal)
                || word.StartsWith("iommu=", StringComparison.Ordinal))
            .ToList();
        var off = flags.Where(flag => flag.EndsWith("=off", StringComparison.Ordinal)).ToList();
        if (off.Count > 0)
        {
            return new(CommandLineCheck, null, CheckStatus.Fail,
                $"the kernel command line turns the IOMMU off ({string.Join(' ', off)}).",
                $"remove {string.Join(' ', off)} from GRUB_CMDLINE_LINUX, then {BootFix}");
        }

        return flags.Count > 0
            ? new(CommandLineCheck, null, CheckStatus.Pass, $"IOMMU requested at boot: {string.Join(' ', flags)}.")
            : new(CommandLineCheck, null, CheckStatus.Warn,
                "no IOMMU flag on the kernel command line: fine only where the kernel turns it on by default "
                + "(AMD, or an Intel kernel built with CONFIG_INTEL_IOMMU_DEFAULT_ON).", BootFix);
    }

    private static ReadinessCheck CheckIommu(HostIommuState host) => host.IommuUnits.Count > 0
        ? new(IommuCheck, null, CheckStatus.Pass,
            $"DMA remapping is active: {Count(host.IommuUnits.Count, "IOMMU unit")} ({string.Join(", ", host.IommuUnits)}).")
        : new(IommuCheck, null, CheckStatus.Fail,
            "/sys/class/iommu is empty: DMA remapping is off, no device can be passed through.",
            "enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; if the kernel command line has no "
            + $"IOMMU flag, also {BootFix}");

    private static ReadinessCheck CheckGroups(HostIommuState host) => host.Groups.Count > 0
        ? new(GroupsCheck, null, CheckStatus.Pass, $"{Count(host.Groups.Count, "IOMMU group")} under /sys/kernel/iommu_groups.")
        : new(GroupsCheck, null, CheckStatus.Fail,
            "/sys/kernel/iommu_groups is empty: vfio cannot assign any device.",
            "turn the IOMMU on (see the IOMMU check); groups appear once DMA remapping is active");

    private static ReadinessCheck CheckVfio(VfioAvailability vfio) => vfio switch
    {
        VfioAvailability.Loaded => new(VfioCheck, null, CheckStatus.Pass, "the vfio-pci driver is loaded."),
        VfioAvailability.Installed => new(VfioCheck, null, CheckStatus.Warn,
            "vfio-pci is installed but not loaded: libvirt loads it when it detaches a managed device, "
            + "but devices with managed=no must be bound to it beforehand.",
            "modprobe vfio-pci, and load it at boot: echo vfio-pci > /etc/modules-load.d/vfio-pci.conf"),
        _ => new(VfioCheck, null, CheckStatus.Fail,
            "vfio-pci is neither loaded nor installed: no device can be assigned to a guest.",
            "install the kernel's extra modules (e.g. linux-modules-extra-$(uname -r)), then modprobe vfio-pci "
            + "and echo vfio-pci > /etc/modules-load.d/vfio-pci.conf"),
    };

    /// <summary>Every function in a candidate's group goes to the guest with it; bridges do not count.</summary>
    private static IEnumerable<ReadinessCheck> CheckDeviceGroups(
        HostIommuState host, DiscoveryResult discovery, IReadOnlyList<PassthroughCandidate> candidates)
    {
        var known = discovery.Records.ToDictionary(r => r.Address, StringComparer.Ordinal);
        var groupOf = host.Groups
            .SelectMany(g => g.Value.Select(member => (Member: member, Group: g.Key)))
            .ToDictionary(m => m.Member, m => m.Group, StringComparer.Ordinal);
        var alone = 0;
        foreach (var device in candidates.Select(c => c.Device))
        {
            if (!groupOf.TryGetValue(device.Address, out var group))
            {
                yield return new(GroupCheck, device.Address, CheckStatus.Fail,
                    "the device is in no IOMMU group: it cannot be assigned.",
                    "check that the firmware's DMAR/IVRS tables cover this slot (firmware update), or use another slot");
                continue;
            }

            var companions = host.Groups[group]
                .Where(member => member != device.Address && !IsBridge(known.GetValueOrDefault(member)))
                .Select(member => Describe(member, known.GetValueOrDefault(member)))
                .ToList();
            if (companions.Count == 0)
            {
                alone++;
                continue;
            }

            yield return new(GroupCheck, device.Address, CheckStatus.Warn,
                $"IOMMU group {group} also holds {string.Join(", ", companions)}: they can only be assigned together, "
                + "to one guest, with no host driver bound to any of them.",
                "pass every function of the group to the same guest (one alias for each), or move the card to a slot "
                + "whose PCIe root port supports ACS");
        }

        if (alone > 0)
        {
            yield return new(GroupCheck, null, CheckStatus.Pass,
                $"{Count(alone, "device")} each alone in its IOMMU group (bridges aside).");
        }
    }

    private static ReadinessCheck CheckVfs(DiscoveredFunction pf)
    {
        var address = pf.Record.Address;
        var numvfs = $"/sys/bus/pci/devices/{address}/sriov_numvfs";
        return pf.EnabledVfs switch
        {
            null => new(SriovCheck, address, CheckStatus.Warn,
                $"cannot read sriov_numvfs: how many of its {pf.TotalVfs} VFs are enabled is unknown.",
                $"check {numvfs}"),
            0 => new(SriovCheck, address, CheckStatus.Warn,
                $"SR-IOV PF with no VF enabled (0 of {pf.TotalVfs}): only the PF itself can be passed through.",
                $"echo <count> > {numvfs} (at most {pf.TotalVfs}), and make it persistent with a udev rule or a systemd unit"),
            var enabled => new(SriovCheck, address, CheckStatus.Pass, $"{enabled} of {pf.TotalVfs} VFs enabled."),
        };
    }

    private static IEnumerable<ReadinessCheck> CheckDrivers(IReadOnlyList<PassthroughCandidate> candidates)
    {
        int onVfio = 0, unbound = 0, onHostDriver = 0;
        foreach (var (device, managed) in candidates)
        {
            switch (device.Driver)
            {
                case "vfio-pci":
                    onVfio++;
                    break;
                case null:
                    unbound++;
                    break;
                case var driver when managed == false:
                    yield return new(DriverCheck, device.Address, CheckStatus.Fail,
                        $"bound to {driver}, but its device_spec says managed=no: libvirt will not detach it.",
                        $"bind it to vfio-pci: driverctl set-override {device.Address} vfio-pci");
                    break;
                default:
                    onHostDriver++;
                    break;
            }
        }

        if (onVfio + unbound + onHostDriver > 0)
        {
            yield return new(DriverCheck, null, CheckStatus.Pass,
                $"{Count(onVfio + unbound + onHostDriver, "device")} ready: {onVfio} on vfio-pci, {unbound} without a "
                + $"driver, {onHostDriver} on a host driver that libvirt detaches when it assigns the device (managed).");
        }
    }

    private static bool IsBridge(PciDeviceRecord? device) =>
        device?.ClassCode?.StartsWith("0x06", StringComparison.Ordinal) == true;

    private static string Describe(string address, PciDeviceRecord? device) => device is null
        ? address
        : $"{address} ({device.VendorId}:{device.ProductId}{(device.Driver is null ? "" : ", " + device.Driver)})";

    private static string Count(int count, string noun, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? noun : plural ?? noun + "s")}");
}
