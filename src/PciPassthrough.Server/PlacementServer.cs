using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PciPassthrough.Server.Persistence;
using PciPassthrough.Server.Placement;

namespace PciPassthrough.Server;

/// <summary>The controller's composition root: Kestrel, the store, and the Placement API under
/// <c>/placement</c>.</summary>
public static class PlacementServer
{
    /// <summary>Builds the app and migrates the database to the newest schema; the caller runs it.</summary>
    public static async Task<WebApplication> BuildAsync(PlacementServerOptions options, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{options.Listen}");
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddPlacementDb(options);

        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlacementDb>();
            Directory.CreateDirectory(options.DataDirectory);
            await db.MigrateAsync(cancellationToken);
        }

        app.UseMiddleware<PlacementMiddleware>();
        app.MapPlacement();
        return app;
    }

    /// <summary>The base URL Kestrel actually bound (after <c>StartAsync</c>), e.g. to learn a port-0 choice.</summary>
    public static Uri BoundAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First());
}
