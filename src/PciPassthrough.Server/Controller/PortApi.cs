using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Controller;

/// <summary>A port as the API shows it; <see cref="Server"/> is the server it is bound to, or null.</summary>
public sealed record PortView(string Id, string Name, string Project, string VnicType, string? PhysicalNetwork,
    string? NetworkType, bool? Trusted, string? NumaAffinityPolicy, string? Server)
{
    public static PortView From(PortRow row) => new(row.Id, row.Name, row.Project, row.VnicType, row.PhysicalNetwork,
        row.NetworkType, row.Trusted, row.NumaAffinityPolicy, row.Server);
}

/// <summary>What <c>POST /v1/ports</c> takes (scenario-format §2.5.1).</summary>
public sealed record PortRequest(string Name, string VnicType, string? PhysicalNetwork, string? NetworkType, bool? Trusted,
    string? NumaAffinityPolicy);

/// <summary><c>/v1/ports</c>: a member's own project's ports (the admin sees all).</summary>
public static class PortApi
{
    public static readonly string[] VnicTypes =
        ["normal", "direct", "direct-physical", "macvtap", "virtio-forwarder", "remote-managed", "vdpa"];

    public static readonly string[] NetworkTypes = ["flat", "vlan", "vxlan", "gre", "geneve", "local"];

    public static readonly string[] NumaAffinityPolicies = ["required", "preferred", "legacy", "socket"];

    public static void Map(RouteGroupBuilder v1)
    {
        var ports = v1.MapGroup("/ports").WithTags("ports");
        ports.MapPost("/", CreateAsync).Accepts<PortRequest>("application/json").Produces<PortView>(StatusCodes.Status201Created);
        ports.MapGet("/", ListAsync).Produces<PortList>();
        ports.MapGet("/{id}", GetAsync).Produces<PortView>();
        ports.MapDelete("/{id}", DeleteAsync).Produces(StatusCodes.Status204NoContent);
    }

    public sealed record PortList(IReadOnlyList<PortView> Ports);

    private static async Task<IResult> CreateAsync(HttpContext http, ControllerDb db, CancellationToken cancellationToken)
    {
        var caller = ControllerCaller.Of(http).RequireMember(http.Request);
        var body = (await RequestBody.ReadAsync(http.Request, cancellationToken))
            .Only("name", "vnic_type", "physical_network", "network_type", "trusted", "numa_affinity_policy");
        var row = new PortRow
        {
            Id = Guid.NewGuid().ToString(),
            Project = caller.Project,
            Name = body.String("name"),
            VnicType = body.OneOf("vnic_type", VnicTypes) ?? "normal",
            PhysicalNetwork = body.OptionalString("physical_network"),
            NetworkType = body.OneOf("network_type", NetworkTypes),
            Trusted = body.OptionalBool("trusted"),
            NumaAffinityPolicy = body.OneOf("numa_affinity_policy", NumaAffinityPolicies),
        };
        await StoreErrors.InsertAsync(db, row, $"port id {row.Id} exists", cancellationToken);
        return Results.Json(PortView.From(row), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ControllerDb db, CancellationToken cancellationToken)
    {
        var caller = ControllerCaller.Of(http);
        var rows = await db.Ports.AsNoTracking().Where(p => caller.IsAdmin || p.Project == caller.Project)
            .OrderBy(p => p.Project).ThenBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        return Results.Json(new PortList([.. rows.Select(PortView.From)]));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ControllerDb db, CancellationToken cancellationToken) =>
        Results.Json(PortView.From(await FindAsync(db, ControllerCaller.Of(http), id, cancellationToken)));

    /// <summary>Deletes only an unbound port, in one statement, so a boot binding it at the same time wins or loses
    /// as a whole.</summary>
    private static async Task<IResult> DeleteAsync(string id, HttpContext http, ControllerDb db, CancellationToken cancellationToken)
    {
        var caller = ControllerCaller.Of(http).RequireMember(http.Request);
        var port = await FindAsync(db, caller, id, cancellationToken);
        if (await db.Ports.Where(p => p.Id == id && p.Server == null).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            return Results.NoContent();
        }

        port = await FindAsync(db, caller, id, cancellationToken);
        throw ControllerException.Conflict($"port {id} is bound to server {port.Server}; delete the server first.");
    }

    public static async Task<PortRow> FindAsync(ControllerDb db, ControllerCaller caller, string id, CancellationToken cancellationToken) =>
        await db.Ports.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } row && caller.Sees(row.Project)
            ? row
            : throw ControllerException.NotFound("port", id);
}
