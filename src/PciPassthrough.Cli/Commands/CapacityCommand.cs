using System.CommandLine;
using System.Text.Json.Nodes;
using PciPassthrough.Host.Agent;
using static PciPassthrough.Cli.Commands.ControllerArguments;

namespace PciPassthrough.Cli.Commands;

/// <summary><c>pcictl capacity --flavor NAME [--image NAME] [--count N]</c>: <c>GET /v1/capacity</c> — how many more
/// servers of a flavor the fleet takes, on which hosts, and what blocks each host (issue 8 item 2).</summary>
public static class CapacityCommand
{
    /// <summary>The largest count the controller plans for.</summary>
    internal const int MaxCount = 100_000;

    public static Command Create()
    {
        var flavor = new Option<string>("--flavor") { Description = "The flavor's name.", Required = true, HelpName = "FLAVOR" };
        var image = new Option<string?>("--image") { Description = "The image's name (its properties count).", HelpName = "IMAGE" };
        var count = WholeNumberOption.Optional("--count", $"How many servers are wanted (1 to {MaxCount}); exit 1 unless that many fit. "
            + "Without it: as many as fit, up to 1000.", minimum: 1, maximum: MaxCount);
        return ControllerVerb.Create("capacity", $"""
            Says how many more servers of a flavor (and image) the fleet can take, and what stops the rest.

            It says how many fit on each host and, for every host that cannot take (more), what stops it, with the
            scheduler's reasons:
              devices           no free PCI device matches (or the claim could not take them)
              numa              no NUMA cell (or set of cells) fits the guest with its devices under the policy
              resources         VCPU, MEMORY_MB, DISK_GB or a required trait (Placement's check)
              host_unavailable  the host's agent has not reported for three heartbeats, or its compute did not start
            The controller boots the servers one after another on a copy of its state with the scheduler's own
            rules; nothing is booted and nothing changes. Admin only. The dashboard's /capacity page shows the same.

            Examples:
              pcictl capacity --flavor gpu.a100                 # how many more A100 servers, and where
              pcictl capacity --flavor vf.x710 --count 6        # exit 1 unless 6 more fit; the last line says so
              pcictl capacity --flavor gpu.a100 --image cirros-viommu --format json

            Exit codes: 0 answered (and, with --count, all N fit), 1 fewer than --count fit, or the flavor or image
            is unknown (the valid names are listed) or refused, 2 bad arguments, 3 no controller (or an answer without
            JSON).
            """, [flavor, image, count], ControllerVerb.Plain(parse =>
            {
                var query = $"flavor={Escape(parse.GetRequiredValue(flavor))}"
                    + (parse.GetValue(image) is { } name ? $"&image={Escape(name)}" : "")
                    + (parse.GetValue(count) is { } n ? $"&count={n}" : "");
                return new(HttpMethod.Get, $"v1/capacity?{query}");
            }), Write, Met);
    }

    /// <summary>The answer meets the request: the flavor can boot at all and, when a count was asked, all of it fits.</summary>
    private static bool Met(JsonNode? plan) =>
        plan.Field("api_error") is null && (plan.Field("asked").AsInt() is not { } asked || plan.Field("fits").AsInt() >= asked);

    /// <summary>The total first, then every host with how many it takes and what blocks it, then — when the goal is not
    /// met — one line that says so.</summary>
    private static void Write(ParseResult parse, JsonNode? plan, TextWriter output)
    {
        var (flavor, fits, asked) = (JsonTable.Text(plan.Field("flavor")), plan.Field("fits").AsInt() ?? 0, plan.Field("asked").AsInt());
        var what = $"server{(fits == 1 ? "" : "s")} of {flavor}" + (plan.Field("image") is { } image ? $" with image {JsonTable.Text(image)}" : "");
        output.WriteLine($"{fits} more {what} fit{(fits == 1 ? "s" : "")}" + (asked is null ? "" : $" ({asked} asked for)"));
        output.WriteLine();
        var blockers = (plan.Field("blockers") as JsonArray ?? []).DistinctBy(b => JsonTable.Text(b.Field("host")))
            .ToDictionary(b => JsonTable.Text(b.Field("host")), b => b);
        HostTextTable.Write(output, ["HOST", "FITS", "BLOCKED BY", "REASON"],
            [.. (plan.Field("per_host") as JsonArray ?? []).SelectMany(host =>
            {
                var name = JsonTable.Text(host.Field("host"));
                var blocker = blockers.GetValueOrDefault(name);
                return JsonTable.ReasonRows(blocker.Field("reasons"), name, JsonTable.Text(host.Field("count")), JsonTable.Text(blocker.Field("kind")));
            })]);
        if (plan.Field("api_error") is { } apiError)
        {
            output.WriteLine($"pcictl capacity: no server of {flavor} can boot at all: {JsonTable.Text(apiError)}");
        }
        else if (asked > fits)
        {
            output.WriteLine($"pcictl capacity: only {fits} of the {asked} servers of {flavor} asked for fit; "
                + "BLOCKED BY says what stops each host");
        }
    }
}
