using System.CommandLine;
using System.Text.Json.Nodes;
using static PciPassthrough.Cli.Commands.ControllerArguments;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl port create|list|show|delete</c>: Neutron-style ports; an SR-IOV vnic type asks for a VF (or a
/// PF) on the port's physical network when a server boots with the port.</summary>
public static class PortCommands
{
    public static readonly string[] VnicTypes = ["normal", "direct", "direct-physical", "macvtap", "remote-managed", "vdpa"];

    public static Command Build() => new("port", "Creates, lists, shows and deletes ports (a project's own; admin sees all).")
    {
        Create(), List(), Show(), Delete(),
    };

    private static Command Create()
    {
        var name = Name("port", "sriov-port-1");
        var vnicType = new Option<string>("--vnic-type")
        {
            Description = "How the port is bound: normal (no PCI device), direct (a VF), direct-physical (a whole PF), "
                + "macvtap, remote-managed (a VF of a DPU), vdpa.",
            DefaultValueFactory = _ => "normal",
            HelpName = string.Join('|', VnicTypes),
        };
        vnicType.AcceptOnly(VnicTypes);
        var physnet = new Option<string?>("--physical-network")
        {
            Description = "The network's physical network; device_spec entries tagged with it provide the device.",
            HelpName = "PHYSNET",
        };
        var networkType = new Option<string?>("--network-type")
        {
            Description = "vlan (default with --physical-network), flat, vxlan, gre, geneve (tunnelled).",
            HelpName = "TYPE",
        };
        var trusted = new Option<bool>("--trusted") { Description = "The binding profile says trusted=true (asks for a trusted VF)." };
        var policy = new Option<string?>("--numa-affinity-policy")
        {
            Description = "The port's own PCI NUMA affinity policy.",
            HelpName = "required|socket|preferred|legacy",
        };
        policy.AcceptOnly("required", "socket", "preferred", "legacy");
        return ControllerVerb.Create("create", """
            Creates a port in the token's project.

            Give its id (or unique name) to 'server create --port'.

            Examples:
              pcictl port create vf-1 --vnic-type direct --physical-network physnet1
              pcictl port create pf-1 --vnic-type direct-physical --physical-network physnet1 --numa-affinity-policy required

            Exit codes: 0 created, 1 refused, 2 bad arguments, 3 no controller.
            """, [name, vnicType, physnet, networkType, trusted, policy], ControllerVerb.Plain(parse =>
            {
                var body = new JsonObject { ["name"] = parse.GetRequiredValue(name), ["vnic_type"] = parse.GetRequiredValue(vnicType) };
                AddIfSet(body, "physical_network", parse.GetValue(physnet));
                AddIfSet(body, "network_type", parse.GetValue(networkType));
                AddIfSet(body, "numa_affinity_policy", parse.GetValue(policy));
                if (parse.GetValue(trusted))
                {
                    body["trusted"] = true;
                }

                return new(HttpMethod.Post, "v1/ports", body);
            }), ControllerVerb.Object);
    }

    private static Command List() => ControllerVerb.Create("list", """
        Lists the ports of the token's project (all ports for admin).

        Example:
          pcictl port list
        """, [], ControllerVerb.Plain(_ => new(HttpMethod.Get, "v1/ports")),
        ControllerVerb.List("ports", JsonTable.Column.Of("id"), JsonTable.Column.Of("name"), JsonTable.Column.Of("vnic_type"),
            JsonTable.Column.Of("physical_network", "PHYSNET"), JsonTable.Column.Of("project"), JsonTable.Column.Of("server")));

    private static Command Show()
    {
        var port = IdOrName("port", "vf-1");
        return ControllerVerb.Create("show", """
            Shows one port.

            Example:
              pcictl port show vf-1
            """, [port], async (parse, lookup, token) =>
                new(HttpMethod.Get, $"v1/ports/{Escape(await lookup.IdAsync("ports", parse.GetRequiredValue(port), token))}"),
            ControllerVerb.Object);
    }

    private static Command Delete()
    {
        var port = IdOrName("port", "vf-1");
        return ControllerVerb.Create("delete", """
            Deletes a port.

            Example:
              pcictl port delete vf-1
            """, [port], async (parse, lookup, token) =>
                new(HttpMethod.Delete, $"v1/ports/{Escape(await lookup.IdAsync("ports", parse.GetRequiredValue(port), token))}"),
            ControllerVerb.Deleted("port", port));
    }

    private static void AddIfSet(JsonObject body, string key, string? value)
    {
        if (value is not null)
        {
            body[key] = value;
        }
    }
}
