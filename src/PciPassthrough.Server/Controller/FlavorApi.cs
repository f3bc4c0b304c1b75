using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Controller;

/// <summary>A flavor as the API shows and takes it (<c>ram</c> in MiB, <c>disk</c>/<c>ephemeral</c> in GiB,
/// <c>swap</c> in MiB).</summary>
public sealed record FlavorView(string Name, int Vcpus, int Ram, int Disk, int Ephemeral, int Swap,
    IReadOnlyDictionary<string, string> ExtraSpecs)
{
    public static FlavorView From(FlavorRow row) => new(row.Name, row.Vcpus, row.Ram, row.Disk, row.Ephemeral, row.Swap,
        JsonSerializer.Deserialize<Dictionary<string, string>>(row.ExtraSpecs)!);
}

/// <summary><c>/v1/flavors</c>: anyone authenticated reads, the admin writes. Extra specs are validated as Nova's
/// flavor API does (SIM-30).</summary>
public static class FlavorApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var flavors = v1.MapGroup("/flavors").WithTags("flavors");
        flavors.MapPost("/", CreateAsync).Accepts<FlavorView>("application/json").Produces<FlavorView>(StatusCodes.Status201Created);
        flavors.MapGet("/", ListAsync).Produces<FlavorList>();
        flavors.MapGet("/{name}", GetAsync).Produces<FlavorView>();
        flavors.MapDelete("/{name}", DeleteAsync).Produces(StatusCodes.Status204NoContent);
    }

    public sealed record FlavorList(IReadOnlyList<FlavorView> Flavors);

    private static async Task<IResult> CreateAsync(HttpContext http, ControllerDb db, CancellationToken cancellationToken)
    {
        ControllerCaller.Of(http).RequireAdmin(http.Request);
        var body = (await RequestBody.ReadAsync(http.Request, cancellationToken))
            .Only("name", "vcpus", "ram", "disk", "ephemeral", "swap", "extra_specs");
        var extraSpecs = body.Strings("extra_specs");
        if (ExtraSpecValidator.ValidateAll(extraSpecs) is [var rejected, ..])
        {
            throw ControllerException.BadRequest($"extra_specs.{rejected.Key}", rejected.Error.Message);
        }

        var row = new FlavorRow
        {
            Name = body.String("name"),
            Vcpus = body.Int("vcpus", 1),
            Ram = body.Int("ram", 1),
            Disk = body.Int("disk", 0, 0),
            Ephemeral = body.Int("ephemeral", 0, 0),
            Swap = body.Int("swap", 0, 0),
            ExtraSpecs = JsonSerializer.Serialize(extraSpecs),
        };
        await StoreErrors.InsertAsync(db, row, $"flavor '{row.Name}' already exists; delete it first or pick another name.",
            cancellationToken);
        return Results.Json(FlavorView.From(row), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(ControllerDb db, CancellationToken cancellationToken) =>
        Results.Json(new FlavorList([.. (await db.Flavors.AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken))
            .Select(FlavorView.From)]));

    private static async Task<IResult> GetAsync(string name, ControllerDb db, CancellationToken cancellationToken) =>
        Results.Json(FlavorView.From(await FindAsync(db, name, cancellationToken)));

    private static async Task<IResult> DeleteAsync(string name, HttpContext http, ControllerDb db, CancellationToken cancellationToken)
    {
        ControllerCaller.Of(http).RequireAdmin(http.Request);
        return await db.Flavors.Where(f => f.Name == name).ExecuteDeleteAsync(cancellationToken) > 0
            ? Results.NoContent()
            : throw ControllerException.NotFound("flavor", name);
    }

    public static async Task<FlavorRow> FindAsync(ControllerDb db, string name, CancellationToken cancellationToken) =>
        await db.Flavors.AsNoTracking().SingleOrDefaultAsync(f => f.Name == name, cancellationToken)
        ?? throw ControllerException.NotFound("flavor", name);
}
