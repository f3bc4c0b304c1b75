using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Core.Simulation.Results;
using PciPassthrough.Server.Controller.Store;
using PciPassthrough.Server.Metrics;

namespace PciPassthrough.Server.Controller;

/// <summary>A device a server holds: the engine's pick, with the index of the PCI request it serves.</summary>
public sealed record ServerDevice(string Address, string VendorId, string ProductId, string DevType, int? NumaNode,
    string? ParentAddr, int Request, string? Alias, string? Port);

/// <summary>An unconfirmed resize or cold migration.</summary>
public sealed record MigrationView(string SourceHost, string DestHost);

/// <summary>A server as the API shows it. <c>status</c>: <c>ACTIVE</c>, <c>VERIFY_RESIZE</c> (holding devices on
/// both hosts until confirmed or reverted), or <c>ERROR</c> when a restarted host could not take it back.</summary>
public sealed record ServerView(string Id, string Name, string Project, string Flavor, string? Image, IReadOnlyList<string> Ports,
    string Status, string Host, IReadOnlyList<FittedCellReport>? NumaCells, IReadOnlyList<ServerDevice> PciDevices,
    MigrationView? Migration);

/// <summary>What <c>POST /v1/servers</c> takes: flavor and image by name, ports by id.</summary>
public sealed record ServerRequest(string Name, string Flavor, string? Image, IReadOnlyList<string>? Ports);

/// <summary>One of <c>{"resize": {"flavor": NAME}}</c>, <c>{"migrate": {}}</c>, <c>{"confirm_resize": {}}</c>,
/// <c>{"revert_resize": {}}</c>.</summary>
public sealed record ServerAction(JsonObject? Resize, JsonObject? Migrate, JsonObject? ConfirmResize, JsonObject? RevertResize);

/// <summary>03 RQ-30: may the server be live-migrated, and if not, why.</summary>
public sealed record LiveMigrationView(bool Eligible, string? Reason);

/// <summary><c>/v1/servers</c>: a member's own project's servers (the admin sees all). Every change goes through the
/// engine's log (<see cref="ControllerEngine"/>): boot, delete, resize or migrate, confirm, revert.</summary>
public static class ServerApi
{
    public const string Active = "ACTIVE", VerifyResize = "VERIFY_RESIZE", Error = "ERROR";

    private static readonly string[] _actions = ["resize", "migrate", "confirm_resize", "revert_resize"];

    public static void Map(RouteGroupBuilder v1)
    {
        var servers = v1.MapGroup("/servers").WithTags("servers");
        servers.MapPost("/", CreateAsync).Accepts<ServerRequest>("application/json").Produces<ServerView>(StatusCodes.Status201Created);
        servers.MapGet("/", ListAsync).Produces<ServerList>();
        servers.MapGet("/{id}", GetAsync).Produces<ServerView>();
        servers.MapDelete("/{id}", DeleteAsync).Produces(StatusCodes.Status204NoContent);
        servers.MapPost("/{id}/action", ActionAsync).Accepts<ServerAction>("application/json").Produces<ServerView>(StatusCodes.Status202Accepted);
        servers.MapGet("/{id}/live-migration", LiveMigrationAsync).Produces<LiveMigrationView>();
        servers.MapGet("/{id}/domain-xml", DomainXmlAsync).Produces<string>(contentType: "application/xml");
    }

    public sealed record ServerList(IReadOnlyList<ServerView> Servers);

    private static async Task<IResult> CreateAsync(HttpContext http, ControllerDb db, ControllerEngine engine, TimeProvider clock,
        PlacementServerOptions options, PciMetrics metrics, CancellationToken cancellationToken)
    {
        var caller = ControllerCaller.Of(http).RequireMember(http.Request);
        var body = (await RequestBody.ReadAsync(http.Request, cancellationToken)).Only("name", "flavor", "image", "ports");
        var name = body.String("name");
        var flavor = FlavorView.From(await Known(db.Flavors, f => f.Name == body.String("flavor"), "flavor", body.String("flavor"), cancellationToken));
        var image = body.OptionalString("image") is { } imageName
            ? ImageView.From(await Known(db.Images, i => i.Name == imageName, "image", imageName, cancellationToken))
            : null;
        var portIds = body.StringList("ports");
        if (portIds.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw ControllerException.BadRequest("ports", $"port {repeated.Key} is listed twice; a port binds to one server once.");
        }

        var id = Guid.NewGuid().ToString();
        var view = await engine.ChangeAsync(db, async fleet =>
        {
            var ports = new List<PortView>();
            foreach (var (portId, i) in portIds.Select((p, i) => (p, i)))
            {
                var port = await db.Ports.AsNoTracking().SingleOrDefaultAsync(p => p.Id == portId, cancellationToken);
                if (port is null || !caller.Sees(port.Project))
                {
                    throw ControllerException.BadRequest($"ports[{i}]", $"ports[{i}]: no port {portId} in project '{caller.Project}'; " +
                        "POST /v1/ports creates one.");
                }

                ports.Add(port.Server is null ? PortView.From(port)
                    : throw ControllerException.Conflict($"ports[{i}]: port {portId} is bound to server {port.Server} already."));
            }

            var boot = BootJson(id, flavor, image, ports);
            var down = await HostApi.DownHostsAsync(db, clock, options, cancellationToken);
            var started = Stopwatch.GetTimestamp();
            var decided = fleet.Boot(ScenarioReader.ReadBoot(JsonSerializer.SerializeToElement(boot), 0), down);
            metrics.Decided(decided.Result, Stopwatch.GetElapsedTime(started));
            var result = Placed(decided, down);
            boot["requested_host"] = result.ChosenHost;
            var row = new ServerRow
            {
                Id = id,
                Project = caller.Project,
                Name = name,
                Status = Active,
                Host = result.ChosenHost!,
                Flavor = Snapshot(flavor),
                Image = image is null ? null : Snapshot(image),
                Ports = Snapshot(ports),
                LastResult = Snapshot(result),
            };
            return new ControllerEngine.Change<ServerView>(ControllerEngine.BootEvent, new JsonObject { ["server"] = id, ["boot"] = boot },
                async (store, token) =>
                {
                    store.Servers.Add(row);
                    foreach (var port in ports)
                    {
                        if (await store.Ports.Where(p => p.Id == port.Id && p.Server == null)
                                .ExecuteUpdateAsync(p => p.SetProperty(r => r.Server, id), token) == 0)
                        {
                            throw ControllerException.Conflict($"port {port.Id} was bound to another server or deleted meanwhile.");
                        }
                    }
                },
                f => View(row, f));
        }, cancellationToken);
        return Results.Json(view, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ControllerDb db, ControllerEngine engine, CancellationToken cancellationToken) =>
        Results.Json(new ServerList(await ViewsAsync(db, engine, ControllerCaller.Of(http), cancellationToken)));

    /// <summary>The servers the caller sees, by project, name and id.</summary>
    internal static async Task<List<ServerView>> ViewsAsync(ControllerDb db, ControllerEngine engine, ControllerCaller caller,
        CancellationToken cancellationToken)
    {
        return await engine.ReadWithRowsAsync(db, async fleet =>
        {
            var rows = await db.Servers.AsNoTracking().Where(s => caller.IsAdmin || s.Project == caller.Project)
                .OrderBy(s => s.Project).ThenBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(cancellationToken);
            return rows.Select(row => View(row, fleet)).ToList();
        }, cancellationToken);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ControllerDb db, ControllerEngine engine,
        CancellationToken cancellationToken)
    {
        var caller = ControllerCaller.Of(http);
        return Results.Json(await engine.ReadWithRowsAsync(db, async fleet => View(await FindAsync(db, caller, id, cancellationToken), fleet),
            cancellationToken));
    }

    /// <summary>Frees the server's devices (on both hosts of an unconfirmed move) and unbinds its ports.</summary>
    private static async Task<IResult> DeleteAsync(string id, HttpContext http, ControllerDb db, ControllerEngine engine,
        CancellationToken cancellationToken)
    {
        var caller = ControllerCaller.Of(http).RequireMember(http.Request);
        await FindAsync(db, caller, id, cancellationToken);
        await engine.ChangeAsync(db, async fleet =>
        {
            var row = await FindAsync(db, caller, id, cancellationToken, tracked: true);
            if (fleet.Server(id) is not null)
            {
                fleet.Delete(id);
            }

            return new ControllerEngine.Change<bool>(ControllerEngine.DeleteEvent, new JsonObject { ["server"] = id },
                async (store, token) =>
                {
                    store.Servers.Remove(row);
                    await store.Ports.Where(p => p.Server == id).ExecuteUpdateAsync(p => p.SetProperty(r => r.Server, (string?)null), token);
                },
                _ => true);
        }, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ActionAsync(string id, HttpContext http, ControllerDb db, ControllerEngine engine,
        TimeProvider clock, PlacementServerOptions options, CancellationToken cancellationToken)
    {
        var caller = ControllerCaller.Of(http).RequireMember(http.Request);
        var body = (await RequestBody.ReadAsync(http.Request, cancellationToken)).Only(_actions);
        var actions = body.Element.EnumerateObject().ToList();
        if (actions is not [var action])
        {
            throw ControllerException.BadRequest("body", $"give exactly one action, got {actions.Count}; valid actions: {string.Join(", ", _actions)}.");
        }

        var argument = RequestBody.Of(action.Value, action.Name);
        FlavorView? newFlavor = null;
        if (action.Name == "resize")
        {
            var flavorName = argument.Only("flavor").String("flavor");
            newFlavor = FlavorView.From(await Known(db.Flavors, f => f.Name == flavorName, "flavor", flavorName, cancellationToken));
        }
        else
        {
            argument.Only();
        }

        await FindAsync(db, caller, id, cancellationToken);
        var view = await engine.ChangeAsync(db, async fleet =>
        {
            var row = await FindAsync(db, caller, id, cancellationToken, tracked: true);
            var moving = row.Status == VerifyResize;
            if (fleet.Server(id) is null)
            {
                throw ControllerException.Conflict($"server {id} is {row.Status}: its host could not take it back; delete it.");
            }

            return action.Name switch
            {
                "resize" or "migrate" when moving => throw ControllerException.Conflict(
                    $"server {id} is {VerifyResize} (from {row.SourceHost} to {row.DestHost}): confirm_resize or revert_resize first."),
                "confirm_resize" or "revert_resize" when !moving => throw ControllerException.Conflict(
                    $"server {id} is {row.Status}: there is no resize or migration to {action.Name.Split('_')[0]}."),
                "resize" or "migrate" => Move(fleet, row, newFlavor, await HostApi.DownHostsAsync(db, clock, options, cancellationToken)),
                "confirm_resize" => Finish(fleet, row, confirm: true),
                _ => Finish(fleet, row, confirm: false),
            };
        }, cancellationToken);
        return Results.Json(view, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Resize (a new flavor) or cold migration (the same one): a claim on any other host; the server keeps
    /// its source host's devices until confirmed or reverted. Hosts whose agent is <paramref name="down"/> get no
    /// server, as for a create.</summary>
    private static ControllerEngine.Change<ServerView> Move(Fleet fleet, ServerRow row, FlavorView? newFlavor, HashSet<string> down)
    {
        var flavor = newFlavor ?? JsonSerializer.Deserialize<FlavorView>(row.Flavor, ControllerJson.Options)!;
        var image = row.Image is null ? null : JsonSerializer.Deserialize<ImageView>(row.Image, ControllerJson.Options);
        var ports = JsonSerializer.Deserialize<List<PortView>>(row.Ports, ControllerJson.Options)!;
        var boot = BootJson(row.Id, flavor, image, ports);
        var result = Placed(fleet.Move(row.Id, ScenarioReader.ReadBoot(JsonSerializer.SerializeToElement(boot), 0), down), down);
        boot["requested_host"] = result.ChosenHost;
        (row.Status, row.SourceHost, row.DestHost, row.Host) = (VerifyResize, row.Host, result.ChosenHost, result.ChosenHost!);
        (row.OldFlavor, row.Flavor, row.LastResult) = (row.Flavor, Snapshot(flavor), Snapshot(result));
        return new(ControllerEngine.MoveEvent, new JsonObject { ["server"] = row.Id, ["boot"] = boot }, null, f => View(row, f));
    }

    private static ControllerEngine.Change<ServerView> Finish(Fleet fleet, ServerRow row, bool confirm)
    {
        if (confirm)
        {
            fleet.ConfirmMove(row.Id);
        }
        else
        {
            fleet.RevertMove(row.Id);
            (row.Host, row.Flavor) = (row.SourceHost!, row.OldFlavor!);
        }

        (row.Status, row.SourceHost, row.DestHost, row.OldFlavor) = (Active, null, null, null);
        return new(confirm ? ControllerEngine.ConfirmEvent : ControllerEngine.RevertEvent, new JsonObject { ["server"] = row.Id },
            null, f => View(row, f));
    }

    private static async Task<IResult> LiveMigrationAsync(string id, HttpContext http, ControllerDb db, ControllerEngine engine,
        CancellationToken cancellationToken)
    {
        var caller = ControllerCaller.Of(http);
        return Results.Json(await engine.ReadWithRowsAsync(db, async fleet =>
        {
            var row = await FindAsync(db, caller, id, cancellationToken);
            if (row.Status != Active || fleet.Server(id) is null)
            {
                return new LiveMigrationView(false, $"server {id} is {row.Status}; only an {Active} server can be live-migrated.");
            }

            var blocker = fleet.LiveMigrationBlocker(id);
            return new LiveMigrationView(blocker is null, blocker?.Message);
        }, cancellationToken));
    }

    /// <summary>07: the <c>&lt;devices&gt;</c> element with the server's PCI devices, SR-IOV interfaces and vIOMMU.</summary>
    private static async Task<IResult> DomainXmlAsync(string id, HttpContext http, ControllerDb db, ControllerEngine engine,
        CancellationToken cancellationToken)
    {
        var caller = ControllerCaller.Of(http);
        var xml = await engine.ReadWithRowsAsync(db, async fleet =>
        {
            var row = await FindAsync(db, caller, id, cancellationToken);
            if (fleet.Server(id) is null)
            {
                throw ControllerException.Conflict($"server {id} is {row.Status} and holds no devices.");
            }

            try
            {
                return new XElement("devices", fleet.DomainXml(id).Devices).ToString();
            }
            catch (PciException e)
            {
                throw new ControllerException(StatusCodes.Status409Conflict, ControllerException.ConflictCode, e.Message,
                    new JsonObject { ["type"] = e.Error.Kind });
            }
        }, cancellationToken);
        return Results.Text(xml, "application/xml");
    }

    /// <summary>Puts the servers a restarted host could not take back (or that went back to the other host of their
    /// move) in line with the engine.</summary>
    internal static async Task AfterHostRestartAsync(ControllerDb db, string id, FleetServer? server, CancellationToken cancellationToken)
    {
        if (await db.Servers.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } row)
        {
            return;
        }

        if (server is null)
        {
            row.Status = Error;
        }
        else
        {
            if (server.Host != row.Host)
            {
                (row.Host, row.Flavor) = (server.Host, row.OldFlavor ?? row.Flavor);
            }

            (row.Status, row.SourceHost, row.DestHost, row.OldFlavor) = (Active, null, null, null);
        }
    }

    /// <summary>The placed result, or the refusal: 400 when the API refused (the stage named), 409 naming every host
    /// with its reasons.</summary>
    private static BootResult Placed(BootResult result, IReadOnlySet<string> down)
    {
        if (result.Result == BootResult.ApiError)
        {
            throw new ControllerException(StatusCodes.Status400BadRequest, ControllerException.InvalidRequestCode,
                result.Api.Error!.Message, new JsonObject { ["stage"] = result.Api.ErrorStage, ["type"] = result.Api.Error.Kind });
        }

        if (result.Result == BootResult.Placed)
        {
            return result;
        }

        var hosts = new JsonArray([.. result.Hosts.Select(h => (JsonNode)new JsonObject
        {
            ["host"] = h.Host,
            ["rejected_by"] = down.Contains(h.Host) ? "host_down" : h.RejectedBy,
            ["reasons"] = new JsonArray([.. Reasons(h, down).Select(r => (JsonNode)JsonValue.Create(r))]),
        })]);
        var message = result.Hosts.Count == 0
            ? "no valid host: there are no hosts; agents (or PUT /v1/hosts/{name}) add them."
            : $"no valid host among {result.Hosts.Count}: " +
              string.Join("; ", result.Hosts.Select(h => $"{h.Host}: {string.Join(", ", Reasons(h, down))}"));
        throw new ControllerException(StatusCodes.Status409Conflict, ControllerException.NoValidHostCode, message,
            new JsonObject { ["hosts"] = hosts });
    }

    internal static IEnumerable<string> Reasons(HostEvaluation host, IReadOnlySet<string> down) =>
        down.Contains(host.Host) ? ["its agent has not sent a heartbeat for three intervals"]
        : host.Rejections.Count > 0 ? host.Rejections.Select(r => $"{r.Filter}: {r.Reason}")
        : host.Claim?.Error is { } claim ? [$"claim: {claim.Message}"]
        : [host.RejectedBy ?? "rejected"];

    internal static JsonObject BootJson(string id, FlavorView flavor, ImageView? image, IReadOnlyList<PortView> ports) => new()
    {
        ["name"] = id,
        ["flavor"] = new JsonObject
        {
            ["vcpus"] = flavor.Vcpus,
            ["memory_mb"] = flavor.Ram,
            ["root_gb"] = flavor.Disk,
            ["ephemeral_gb"] = flavor.Ephemeral,
            ["swap"] = flavor.Swap,
            ["extra_specs"] = new JsonObject(flavor.ExtraSpecs.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))),
        },
        ["image"] = new JsonObject
        {
            ["properties"] = new JsonObject((image?.Properties ?? new Dictionary<string, JsonElement>())
                .Select(p => KeyValuePair.Create(p.Key, JsonNode.Parse(p.Value.GetRawText())))),
        },
        ["ports"] = new JsonArray([.. ports.Select(port => (JsonNode)PortJson(port))]),
    };

    private static JsonObject PortJson(PortView port)
    {
        var json = new JsonObject { ["name"] = port.Id, ["vnic_type"] = port.VnicType, ["physical_network"] = port.PhysicalNetwork };
        if (port.NetworkType is { } type)
        {
            json["network_type"] = type;
        }

        if (port.Trusted is { } trusted)
        {
            json["trusted"] = trusted;
        }

        if (port.NumaAffinityPolicy is { } policy)
        {
            json["numa_affinity_policy"] = policy;
        }

        return json;
    }

    internal static ServerView View(ServerRow row, Fleet fleet)
    {
        var flavor = JsonSerializer.Deserialize<FlavorView>(row.Flavor, ControllerJson.Options)!;
        var image = row.Image is null ? null : JsonSerializer.Deserialize<ImageView>(row.Image, ControllerJson.Options);
        var ports = JsonSerializer.Deserialize<List<PortView>>(row.Ports, ControllerJson.Options)!;
        var placed = fleet.Server(row.Id) is not null;
        return new ServerView(row.Id, row.Name, row.Project, flavor.Name, image?.Name, [.. ports.Select(p => p.Id)], row.Status, row.Host,
            placed ? fleet.NumaCells(row.Id) : null,
            // agents report sysfs node numbers, well within int
            placed ? [.. fleet.Devices(row.Id).Select(p => new ServerDevice(p.Address, p.VendorId, p.ProductId, p.DevType, (int?)p.NumaNode,
                p.ParentAddr, p.RequestIndex, p.Alias, p.Port))] : [],
            row.SourceHost is { } source ? new MigrationView(source, row.DestHost!) : null);
    }

    private static string Snapshot<T>(T value) => JsonSerializer.Serialize(value, ControllerJson.Options);

    private static async Task<T> Known<T>(IQueryable<T> rows, System.Linq.Expressions.Expression<Func<T, bool>> match, string what,
        string name, CancellationToken cancellationToken) where T : class =>
        await rows.AsNoTracking().SingleOrDefaultAsync(match, cancellationToken)
        ?? throw ControllerException.BadRequest(what, $"there is no {what} '{name}'; GET /v1/{what}s lists them.");

    private static async Task<ServerRow> FindAsync(ControllerDb db, ControllerCaller caller, string id, CancellationToken cancellationToken,
        bool tracked = false) =>
        await (tracked ? db.Servers : db.Servers.AsNoTracking()).SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is { } row
        && caller.Sees(row.Project)
            ? row
            : throw ControllerException.NotFound("server", id);
}
