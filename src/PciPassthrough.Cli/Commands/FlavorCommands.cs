using System.CommandLine;
using System.Text.Json.Nodes;
using static PciPassthrough.Cli.Commands.ControllerArguments;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl flavor create|list|show|delete</c>: flavors, whose extra specs (<c>pci_passthrough:alias</c>,
/// <c>hw:numa_nodes</c>, <c>hw:pci_numa_affinity_policy</c>, …) ask for PCI devices and NUMA placement.</summary>
public static class FlavorCommands
{
    private static readonly JsonTable.Column[] _columns =
    [
        JsonTable.Column.Of("name"), JsonTable.Column.Of("vcpus"), JsonTable.Column.Of("ram", "RAM MB"),
        JsonTable.Column.Of("disk", "DISK GB"), JsonTable.Column.Of("extra_specs"),
    ];

    public static Command Build() => new("flavor", "Creates, lists, shows and deletes flavors on the controller (admin to change).")
    {
        Create(), List(), Show(), Delete(),
    };

    private static Command Create()
    {
        var name = Name("flavor", "gpu.large");
        var vcpus = WholeNumberOption.Create("--vcpus", "Guest vCPUs.", minimum: 1, required: true);
        var ram = WholeNumberOption.Create("--ram", "Guest memory in MiB.", minimum: 1, required: true);
        var disk = WholeNumberOption.Create("--disk", "Root disk in GiB (default 0).", minimum: 0);
        var ephemeral = WholeNumberOption.Create("--ephemeral", "Ephemeral disk in GiB (default 0).", minimum: 0);
        var swap = WholeNumberOption.Create("--swap", "Swap in MiB (default 0).", minimum: 0);
        var property = Properties("--property",
            "An extra spec, repeatable; checked by the controller as Nova's flavor API does (a bad one is refused naming the key).");
        return ControllerVerb.Create("create", """
            Creates a flavor.

            Extra specs ask for PCI devices (pci_passthrough:alias=ALIAS:COUNT[,ALIAS:COUNT]) with
            the aliases of the controller's nova.conf, and for NUMA placement (hw:numa_nodes, hw:cpu_policy,
            hw:pci_numa_affinity_policy, hw:mem_page_size, ...).

            Examples:
              pcictl flavor create m1.small --vcpus 1 --ram 512
              pcictl flavor create gpu.a100 --vcpus 8 --ram 16384 --property pci_passthrough:alias=a100:1
              pcictl flavor create vf.numa --vcpus 4 --ram 4096 --property pci_passthrough:alias=x710-vf:2 \
                --property hw:numa_nodes=1 --property hw:pci_numa_affinity_policy=required

            Exit codes: 0 created, 1 refused (exists, bad extra spec, not admin), 2 bad arguments, 3 no controller.
            """, [name, vcpus, ram, disk, ephemeral, swap, property], ControllerVerb.Plain(parse => new(HttpMethod.Post, "v1/flavors",
            new JsonObject
            {
                ["name"] = parse.GetRequiredValue(name),
                ["vcpus"] = parse.GetValue(vcpus),
                ["ram"] = parse.GetValue(ram),
                ["disk"] = parse.GetValue(disk),
                ["ephemeral"] = parse.GetValue(ephemeral),
                ["swap"] = parse.GetValue(swap),
                ["extra_specs"] = ToObject(parse.GetValue(property)),
            })), ControllerVerb.Object);
    }

    private static Command List() => ControllerVerb.Create("list", """
        Lists the flavors with their extra specs.

        Examples:
          pcictl flavor list
          pcictl flavor list --format json
        """, [], ControllerVerb.Plain(_ => new(HttpMethod.Get, "v1/flavors")),
        ControllerVerb.List("flavors", _columns));

    private static Command Show()
    {
        var name = Name("flavor", "gpu.a100");
        return ControllerVerb.Create("show", """
            Shows one flavor.

            Example:
              pcictl flavor show gpu.a100
            """, [name], ControllerVerb.Plain(parse => new(HttpMethod.Get, $"v1/flavors/{Escape(parse.GetRequiredValue(name))}")),
            ControllerVerb.Object);
    }

    private static Command Delete()
    {
        var name = Name("flavor", "gpu.a100");
        return ControllerVerb.Create("delete", """
            Deletes a flavor (servers already booted with it keep it).

            Example:
              pcictl flavor delete gpu.a100
            """, [name], ControllerVerb.Plain(parse => new(HttpMethod.Delete, $"v1/flavors/{Escape(parse.GetRequiredValue(name))}")),
            ControllerVerb.Deleted("flavor", name));
    }
}
