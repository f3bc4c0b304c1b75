using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Metrics;
using PciPassthrough.Server.Controller;
using PciPassthrough.Server.Controller.Store;
using PciPassthrough.Server.Dashboard;
using PciPassthrough.Server.Metrics;
using PciPassthrough.Server.Persistence;
using PciPassthrough.Server.Placement;
using Scalar.AspNetCore;

namespace PciPassthrough.Server;

/// <summary>The controller's composition root: Kestrel, the stores, the REST API under <c>/v1</c> with
/// <c>/healthz</c> and the OpenAPI document at <c>/openapi/v1.json</c>, and the Placement API under
/// <c>/placement</c>.</summary>
public static class PlacementServer
{
    /// <summary>Builds the app and migrates the database to the newest schema; the caller runs it. A
    /// <see cref="PolicyFileException"/> when the policy file cannot be used.</summary>
    public static async Task<WebApplication> BuildAsync(PlacementServerOptions options, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{options.Listen}");
        // pcictl serve prints its own start-up lines; the framework's (lifetime, requests, SQL) only when verbose
        builder.Logging.AddFilter("Microsoft", options.Verbose ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("PciPassthrough", options.Verbose ? LogLevel.Debug : LogLevel.Information);
        if (!options.Verbose)
        {
            // EF Core logs as errors the commands our code expects to fail and handles: the migrator probing a fresh
            // database for its history table, an append that lost the race to another replica, a database that does
            // not answer at start (pcictl serve says so in one line). An unhandled failure is still logged, with its
            // request.
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Connection", LogLevel.None);
            builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Update", LogLevel.None);
            // a start that fails (a port taken after pcictl serve's check) is thrown to the caller, which says so in one
            // line; the host's own error log of it would add a stack trace
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        }

        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(PlacementPolicy.Load(options));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPlacementDb(options);
        builder.Services.AddControllerDb(options);
        builder.Services.AddSingleton<ControllerEngine>();
        builder.Services.ConfigureHttpJsonOptions(json => ControllerJson.Configure(json.SerializerOptions));
        builder.Services.AddOpenApi();
        builder.Services.AddDashboard();
        builder.Services.AddSingleton<PciMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(PciMetrics.MeterName).AddPrometheusExporter());

        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Directory.CreateDirectory(options.DataDirectory);
            await scope.ServiceProvider.GetRequiredService<PlacementDb>().MigrateAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<ControllerDb>().MigrateAsync(cancellationToken);
        }

        app.UseWhen(http => http.Request.Path.StartsWithSegments(PlacementEndpoints.Prefix),
            placement => placement.UseMiddleware<PlacementMiddleware>());
        app.UseWhen(http => http.Request.Path.StartsWithSegments(ControllerEndpoints.Prefix),
            controller => controller.UseMiddleware<ControllerMiddleware>());
        app.MapPlacement();
        app.MapController();
        app.MapOpenApi();
        // the API browser: Scalar's script is served from the package, and its web fonts are off (no CDN)
        app.MapScalarApiReference("/api/browse", scalar => scalar.WithTitle("pcictl API").DisableDefaultFonts()
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapDashboard();
        app.MapMetrics();
        return app;
    }

    /// <summary>The base URL Kestrel actually bound (after <c>StartAsync</c>), e.g. to learn a port-0 choice.</summary>
    public static Uri BoundAddress(this WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First());
}
