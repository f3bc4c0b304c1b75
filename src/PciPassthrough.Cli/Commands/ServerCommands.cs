using System.CommandLine;
using System.Text.Json.Nodes;
using PciPassthrough.Host.Agent;
using static PciPassthrough.Cli.Commands.ControllerArguments;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl server …</c>: boot servers with PCI devices (the controller schedules and claims them as Nova
/// would), show what they got and the libvirt XML attaching it, and move them (resize, cold migrate).</summary>
public static class ServerCommands
{
    private const string Servers = "servers";

    public static Command Build() => new("server", "Boots, shows, moves and deletes servers with PCI devices on the controller.")
    {
        Create(), List(), Show(), Delete(),
        Resize(),
        Action("confirm-resize", "confirm_resize", """
            Confirms a resize or cold migration (server in VERIFY_RESIZE).

            The source host's devices are freed.

            Example:
              pcictl server confirm-resize vm1
            """),
        Action("revert-resize", "revert_resize", """
            Reverts a resize or cold migration (server in VERIFY_RESIZE).

            The destination's devices are freed and the server stays where it was, with its old flavor.

            Example:
              pcictl server revert-resize vm1
            """),
        Action("migrate", "migrate", """
            Cold-migrates a server to another host.

            The scheduler picks another host (never the current one) and claims devices there;
            the server waits in VERIFY_RESIZE holding both claims until confirm-resize or revert-resize.

            Example:
              pcictl server migrate vm1
            """),
        LiveMigrationCheck(),
        DomainXml(),
    };

    private static Command Create()
    {
        var name = Name("server", "vm1");
        var flavor = new Option<string>("--flavor") { Description = "The flavor's name.", Required = true, HelpName = "FLAVOR" };
        var image = new Option<string?>("--image") { Description = "The image's name (its properties count).", HelpName = "IMAGE" };
        var ports = new Option<string[]>("--port")
        {
            Description = "A port of the project (id, or unique name), repeatable; SR-IOV vnic types get a device.",
            HelpName = "PORT",
        };
        return ControllerVerb.Create("create", """
            Boots a server on a host that fits, with its PCI devices.

            The controller checks the request as Nova's API does, schedules it on every host (NUMA,
            PCI, capacity) and claims its devices on the chosen one. When no host fits, every host is printed with
            the filter that rejected it and why.

            Examples:
              pcictl server create vm1 --flavor gpu.a100 --image cirros
              pcictl server create vm2 --flavor m1.small --port vf-1 --port vf-2

            Exit codes: 0 placed, 1 refused (invalid request, or no valid host), 2 bad arguments, 3 no controller.
            """, [name, flavor, image, ports], async (parse, lookup, token) =>
            {
                var ids = new JsonArray();
                foreach (var port in parse.GetValue(ports) ?? [])
                {
                    ids.Add(await lookup.IdAsync("ports", port, token));
                }

                var body = new JsonObject { ["name"] = parse.GetRequiredValue(name), ["flavor"] = parse.GetRequiredValue(flavor) };
                if (parse.GetValue(image) is { } imageName)
                {
                    body["image"] = imageName;
                }

                body["ports"] = ids;
                return new(HttpMethod.Post, "v1/servers", body);
            }, ControllerVerb.Object);
    }

    private static Command List() => ControllerVerb.Create("list", """
        Lists the servers of the token's project (all servers for admin) with their host and device count.

        Example:
          pcictl server list
        """, [], ControllerVerb.Plain(_ => new(HttpMethod.Get, "v1/servers")),
        ControllerVerb.List(Servers, JsonTable.Column.Of("id"), JsonTable.Column.Of("name"), JsonTable.Column.Of("status"),
            JsonTable.Column.Of("host"), JsonTable.Column.Of("flavor"),
            new("PCI DEVICES", server => JsonTable.Text((server.Field("pci_devices") as JsonArray)?.Count ?? 0))));

    private static Command Show() => OnServer("show", HttpMethod.Get, "", """
        Shows a server and the PCI devices it holds.

        Its status, host, NUMA cells and every PCI device (address, ids, type, NUMA node, parent PF, and the alias or
        port it serves).

        Examples:
          pcictl server show vm1
          pcictl server show vm1 --format json
        """, ControllerVerb.Object);

    private static Command Delete()
    {
        var server = IdOrName("server", "vm1");
        return ControllerVerb.Create("delete", """
            Deletes a server and frees its devices.

            Example:
              pcictl server delete vm1
            """, [server], ServerRequest(server, HttpMethod.Delete, ""), ControllerVerb.Deleted("server", server));
    }

    private static Command Resize()
    {
        var server = IdOrName("server", "vm1");
        var flavor = new Option<string>("--flavor") { Description = "The new flavor's name.", Required = true, HelpName = "FLAVOR" };
        return ControllerVerb.Create("resize", """
            Resizes a server to another flavor, on another host.

            Devices are claimed on a destination host (never the source), and the server waits in VERIFY_RESIZE until confirm-resize or revert-resize.

            Example:
              pcictl server resize vm1 --flavor gpu.a100x2
            """, [server, flavor], async (parse, lookup, token) =>
            {
                var request = await ServerRequest(server, HttpMethod.Post, "/action")(parse, lookup, token);
                return request with { Body = new JsonObject { ["resize"] = new JsonObject { ["flavor"] = parse.GetRequiredValue(flavor) } } };
            }, ControllerVerb.Object);
    }

    private static Command Action(string name, string action, string description)
    {
        var server = IdOrName("server", "vm1");
        return ControllerVerb.Create(name, description, [server], async (parse, lookup, token) =>
        {
            var request = await ServerRequest(server, HttpMethod.Post, "/action")(parse, lookup, token);
            return request with { Body = new JsonObject { [action] = new JsonObject() } };
        }, ControllerVerb.Object);
    }

    private static Command LiveMigrationCheck() => OnServer("live-migration-check", HttpMethod.Get, "/live-migration", """
        Says whether the server could be live-migrated, and if not why.

        Reasons include a flavor-requested PCI device that is not a live-migratable VF, or a server in VERIFY_RESIZE.

        Examples:
          pcictl server live-migration-check vm1
          pcictl server live-migration-check vm1 --format json

        Exit codes: 0 eligible, 1 not eligible (the reason is printed; --format json prints the answer as is) or
        refused, 2 bad arguments, 3 no controller (or an answer without JSON).
        """, (_, json, output) => output.WriteLine(Eligible(json)
            ? "eligible for live migration"
            : $"not eligible for live migration: {JsonTable.Text(json.Field("reason"))}"), Eligible);

    private static bool Eligible(JsonNode? json) => json.Field("eligible").AsBool() == true;

    private static Command DomainXml() => OnServer("domain-xml", HttpMethod.Get, "/domain-xml", """
        Prints the libvirt XML that attaches the server's PCI devices.

        The domain XML <devices> fragment (hostdev or interface elements, and the vIOMMU when the image or flavor
        asks for one), as Nova's libvirt driver writes it.

        Examples:
          pcictl server domain-xml vm1
          pcictl server domain-xml vm1 --format json      # {"xml": "<devices>…"}
        """, ControllerVerb.Object);

    private static Command OnServer(string name, HttpMethod method, string suffix, string description, ControllerVerb.TableWriter table,
        ControllerVerb.Verdict? verdict = null)
    {
        var server = IdOrName("server", "vm1");
        return ControllerVerb.Create(name, description, [server], ServerRequest(server, method, suffix), table, verdict);
    }

    private static ControllerVerb.RequestFactory ServerRequest(Argument<string> server, HttpMethod method, string suffix) =>
        async (parse, lookup, token) =>
            new(method, $"v1/servers/{Escape(await lookup.IdAsync(Servers, parse.GetRequiredValue(server), token))}{suffix}");
}
