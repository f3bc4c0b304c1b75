using System.CommandLine;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl host …</c>: what PCI devices this compute host has, and whether it is ready to pass them
/// through (<c>discover</c>, <c>check</c>); what the controller knows of its hosts (<c>list</c>, <c>show</c>).</summary>
public static class HostCommands
{
    public static Command Build() => new("host",
        "Discovers this host's PCI devices and checks it for passthrough; lists and shows the controller's hosts.")
    {
        BuildDiscover(),
        BuildCheck(),
        HostControllerCommands.List(),
        HostControllerCommands.Show(),
    };

    private static Command BuildDiscover()
    {
        var root = HostOptions.Root();
        var config = HostOptions.Config();
        var format = HostOptions.Format(HostOptions.TreeFormat, HostOptions.TableFormat, HostOptions.JsonFormat);
        var discover = new Command("discover", """
            Lists this host's PCI functions as Nova sees them and, with --config, which ones Nova would track.

            Reads /sys/bus/pci/devices (under --root) as libvirt reports it to Nova and prints every PCI function:
            type (type-PCI, type-PF, type-VF, vdpa), vendor:product, class, NUMA node, driver, IOMMU group, netdev,
            VFs enabled of the total, VPD serial. 'tree' shows VFs under their PF. Functions that cannot be read or
            whose address Nova cannot handle are listed as warnings. With --config, applies [pci] device_spec as the
            compute does at start: the spec selecting each function (the specs are listed with their tags), its
            status and pool, the pools this host publishes, and why every other function is not selected.

            Examples:
              pcictl host discover
              pcictl host discover --config /etc/nova/nova.conf
              pcictl host discover --root /tmp/host1 --format json

            Exit codes: 0 read, 1 read with warnings, 2 --config unreadable or refused by Nova.
            """)
        {
            root,
            config,
            format,
        };
        discover.SetAction(parseResult => HostDiscoverCommand.Run(
            parseResult.GetRequiredValue(root), parseResult.GetValue(config), parseResult.GetRequiredValue(format),
            parseResult.InvocationConfiguration));
        return discover;
    }

    private static Command BuildCheck()
    {
        var root = HostOptions.Root();
        var config = HostOptions.Config();
        var format = HostOptions.Format(HostOptions.TableFormat, HostOptions.JsonFormat);
        var check = new Command("check", """
            Checks that this host can pass PCI devices through; each problem says what to do.

            Checks IOMMU requested on the kernel command line and active (/sys/class/iommu), IOMMU groups present,
            vfio-pci available; then, for each device one would pass through (with --config, the devices its
            [pci] device_spec selects; without, every VF and every network, display, NVMe or accelerator
            function), the other devices in its IOMMU group, the VFs enabled of each PF, and the driver it is
            bound to (managed=no needs vfio-pci already). Each line says pass, warn or fail, and every warn or
            fail says what to do.

            Examples:
              pcictl host check
              pcictl host check --config /etc/nova/nova.conf
              pcictl host check --root /tmp/host1 --format json

            Exit codes: 0 all pass, 1 warnings, 2 a failure.
            """)
        {
            root,
            config,
            format,
        };
        check.SetAction(parseResult => HostCheckCommand.Run(
            parseResult.GetRequiredValue(root), parseResult.GetValue(config), parseResult.GetRequiredValue(format),
            parseResult.InvocationConfiguration));
        return check;
    }
}
