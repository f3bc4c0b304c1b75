using System.CommandLine;
using PciPassthrough.Host.Agent;
using static PciPassthrough.Cli.Commands.ControllerArguments;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl host list|show</c>: the hosts the controller knows from its agents (admin only).</summary>
internal static class HostControllerCommands
{
    public static Command List() => ControllerVerb.Create("list", """
        Lists the compute hosts the controller knows (admin).

        Each is up or down (no heartbeat for 3 intervals), started by the engine or not (and why not), with its PCI
        devices by status and its servers.

        Examples:
          pcictl host list
          pcictl host list --controller http://ctl:8780 --auth-token s3cret

        Exit codes: 0 listed, 1 refused (not admin), 2 bad arguments, 3 no controller.
        """, [], ControllerVerb.Plain(_ => new(HttpMethod.Get, "v1/hosts")),
        ControllerVerb.List("hosts", JsonTable.Column.Of("name"), JsonTable.Column.Of("state"), JsonTable.Column.Of("started"),
            Devices("total"), Devices("available"), Devices("claimed"), Devices("allocated"), Devices("unavailable"),
            JsonTable.Column.Of("servers"), JsonTable.Column.Of("error")));

    public static Command Show()
    {
        var name = Name("host", "cmp-sriov");
        return ControllerVerb.Create("show", """
            Shows one compute host (admin).

            Its NUMA cells with their usage, every PCI device with its status, pool
            tags and the server holding it, and its Placement view.

            Example:
              pcictl host show cmp-sriov
            """, [name], ControllerVerb.Plain(parse => new(HttpMethod.Get, $"v1/hosts/{Escape(parse.GetRequiredValue(name))}")),
            ControllerVerb.Object);
    }

    private static JsonTable.Column Devices(string status) =>
        new(status.ToUpperInvariant(), host => JsonTable.Text(host.Field("devices").Field(status)));
}
