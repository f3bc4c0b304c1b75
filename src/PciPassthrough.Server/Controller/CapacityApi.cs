using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.Capacity;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Controller;

/// <summary>How many more servers of a flavor fit on a host.</summary>
public sealed record HostCapacity(string Host, int Count);

/// <summary>What stops one more server of the flavor on a host: <c>kind</c> is <c>resources</c> (VCPU, MEMORY_MB,
/// DISK_GB, traits), <c>devices</c>, <c>numa</c> or <c>host_unavailable</c> (not started, or its agent is down).</summary>
public sealed record CapacityBlocker(string Host, string Kind, IReadOnlyList<string> Reasons);

/// <summary>The answer of <c>GET /v1/capacity</c>.</summary>
public sealed record CapacityView(string Flavor, string? Image, int? Asked, int Fits, IReadOnlyList<HostCapacity> PerHost,
    string? ApiError, IReadOnlyList<CapacityBlocker> Blockers);

/// <summary><c>/v1/capacity?flavor=NAME[&amp;image=NAME][&amp;count=N]</c>: how many more servers of a flavor the fleet
/// takes, on which hosts, and what blocks the rest — the engine boots them on a copy of its state, nothing is booted.
/// Admin only.</summary>
public static class CapacityApi
{
    public static void Map(RouteGroupBuilder v1) =>
        v1.MapGet("/capacity", GetAsync).WithTags("capacity").Produces<CapacityView>();

    private static async Task<IResult> GetAsync(HttpContext http, ControllerDb db, ControllerEngine engine, TimeProvider clock,
        PlacementServerOptions options, string? flavor, string? image, string? count, CancellationToken cancellationToken)
    {
        ControllerCaller.Of(http).RequireAdmin(http.Request);
        if (string.IsNullOrEmpty(flavor))
        {
            throw ControllerException.BadRequest("flavor", "the query needs flavor=NAME; GET /v1/flavors lists them.");
        }

        int? asked = count is null ? null
            : int.TryParse(count, out var n) && n is > 0 and <= 100_000 ? n
            : throw ControllerException.BadRequest("count", $"count '{count}' is not a whole number from 1 to 100000.");
        return Results.Json(await PlanAsync(db, engine, clock, options, flavor, image, asked, cancellationToken));
    }

    /// <summary>The capacity of the fleet for a flavor (and image), as <c>GET /v1/capacity</c> and the dashboard show it.</summary>
    internal static async Task<CapacityView> PlanAsync(ControllerDb db, ControllerEngine engine, TimeProvider clock,
        PlacementServerOptions options, string flavor, string? image, int? count, CancellationToken cancellationToken)
    {
        var boot = await BootAsync(db, flavor, image, cancellationToken);
        var down = await HostApi.DownHostsAsync(db, clock, options, cancellationToken);
        var report = await engine.ReadAsync(db, fleet => CapacityPlanner.Plan(fleet, boot, count, down), cancellationToken);
        return new CapacityView(flavor, image, report.Asked, report.Fits,
            [.. report.PerHost.Select(h => new HostCapacity(h.Key, h.Value))],
            report.ApiError,
            [.. report.Blockers.Select(b => down.Contains(b.Host)
                ? new CapacityBlocker(b.Host, "host_unavailable", ["its agent has not sent a heartbeat for three intervals"])
                : new CapacityBlocker(b.Host, KindName(b.Kind), b.Reasons))]);
    }

    /// <summary>One server of the flavor and image, without ports, as the engine reads a boot; an unknown name is a 404
    /// that lists the valid ones (also under <c>valid</c>), so a what-if can be corrected without another call.</summary>
    internal static async Task<ScenarioBoot> BootAsync(ControllerDb db, string flavor, string? image, CancellationToken cancellationToken)
    {
        var flavorRow = await db.Flavors.AsNoTracking().SingleOrDefaultAsync(f => f.Name == flavor, cancellationToken)
            ?? throw await UnknownAsync("flavor", flavor, db.Flavors.Select(f => f.Name), cancellationToken);
        var imageRow = image is null ? null
            : await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Name == image, cancellationToken)
                ?? throw await UnknownAsync("image", image, db.Images.Select(i => i.Name), cancellationToken);
        var (flavorView, imageView) = (FlavorView.From(flavorRow), imageRow is null ? null : ImageView.From(imageRow));
        return ScenarioReader.ReadBoot(JsonSerializer.SerializeToElement(ServerApi.BootJson("what-if", flavorView, imageView, [])), 0);
    }

    private static async Task<ControllerException> UnknownAsync(string what, string name, IQueryable<string> names,
        CancellationToken cancellationToken)
    {
        var valid = await names.OrderBy(n => n).ToListAsync(cancellationToken);
        var known = valid.Count == 0 ? $"there are no {what}s yet" : $"the {what}s are {string.Join(", ", valid)}";
        return new ControllerException(StatusCodes.Status404NotFound, ControllerException.NotFoundCode,
            $"{what} '{name}' does not exist; {known}.", new JsonObject { ["valid"] = new JsonArray([.. valid.Select(v => (JsonNode)v)]) });
    }

    private static string KindName(BlockerKind kind) => kind switch
    {
        BlockerKind.Resources => "resources",
        BlockerKind.Devices => "devices",
        BlockerKind.Numa => "numa",
        _ => "host_unavailable",
    };
}
