using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Controller;

/// <summary>An image: its properties (<c>hw_pci_numa_affinity_policy</c>, <c>hw_viommu_model</c>, …) are strings,
/// numbers or booleans, typed when a server boots from it (SIM-31 stage <c>image</c>).</summary>
public sealed record ImageView(string Name, IReadOnlyDictionary<string, JsonElement> Properties)
{
    public static ImageView From(ImageRow row) =>
        new(row.Name, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(row.Properties)!);
}

/// <summary><c>/v1/images</c>: anyone authenticated reads, the admin writes.</summary>
public static class ImageApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        var images = v1.MapGroup("/images").WithTags("images");
        images.MapPost("/", CreateAsync).Accepts<ImageView>("application/json").Produces<ImageView>(StatusCodes.Status201Created);
        images.MapGet("/", ListAsync).Produces<ImageList>();
        images.MapGet("/{name}", GetAsync).Produces<ImageView>();
        images.MapDelete("/{name}", DeleteAsync).Produces(StatusCodes.Status204NoContent);
    }

    public sealed record ImageList(IReadOnlyList<ImageView> Images);

    private static async Task<IResult> CreateAsync(HttpContext http, ControllerDb db, CancellationToken cancellationToken)
    {
        ControllerCaller.Of(http).RequireAdmin(http.Request);
        var body = (await RequestBody.ReadAsync(http.Request, cancellationToken)).Only("name", "properties");
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (body.Optional("properties") is { } given)
        {
            foreach (var property in RequestBody.Of(given, "properties").Element.EnumerateObject())
            {
                properties[property.Name] = property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number
                    or JsonValueKind.True or JsonValueKind.False ? property.Value
                    : throw ControllerException.BadRequest($"properties.{property.Name}",
                        $"properties.{property.Name} must be a string, a number or a boolean, got {RequestBody.Show(property.Value)}.");
            }
        }

        var row = new ImageRow { Name = body.String("name"), Properties = JsonSerializer.Serialize(properties) };
        await StoreErrors.InsertAsync(db, row, $"image '{row.Name}' already exists; delete it first or pick another name.",
            cancellationToken);
        return Results.Json(ImageView.From(row), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(ControllerDb db, CancellationToken cancellationToken) =>
        Results.Json(new ImageList([.. (await db.Images.AsNoTracking().OrderBy(i => i.Name).ToListAsync(cancellationToken))
            .Select(ImageView.From)]));

    private static async Task<IResult> GetAsync(string name, ControllerDb db, CancellationToken cancellationToken) =>
        Results.Json(ImageView.From(await FindAsync(db, name, cancellationToken)));

    private static async Task<IResult> DeleteAsync(string name, HttpContext http, ControllerDb db, CancellationToken cancellationToken)
    {
        ControllerCaller.Of(http).RequireAdmin(http.Request);
        return await db.Images.Where(i => i.Name == name).ExecuteDeleteAsync(cancellationToken) > 0
            ? Results.NoContent()
            : throw ControllerException.NotFound("image", name);
    }

    public static async Task<ImageRow> FindAsync(ControllerDb db, string name, CancellationToken cancellationToken) =>
        await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Name == name, cancellationToken)
        ?? throw ControllerException.NotFound("image", name);
}
