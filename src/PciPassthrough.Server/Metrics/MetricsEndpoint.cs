using System.Data.Common;
using PciPassthrough.Server.Controller;
using PciPassthrough.Server.Controller.Store;

namespace PciPassthrough.Server.Metrics;

/// <summary>
/// <c>/metrics</c>: before the exporter reads the device gauge, this replica folds in what other replicas appended to
/// the shared log since its last request (one indexed query, usually returning nothing), so every replica reports the
/// fleet as the database has it at the scrape. When the database does not answer, the scrape still reports the
/// counters, and the gauge as of the last catch-up, with a warning in the log.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static void MapMetrics(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), scrape => scrape.Use(CatchUpAsync));
        app.MapPrometheusScrapingEndpoint(Path);
    }

    private static async Task CatchUpAsync(HttpContext http, RequestDelegate next)
    {
        var services = http.RequestServices;
        try
        {
            await services.GetRequiredService<ControllerEngine>()
                .CatchUpWithLogAsync(services.GetRequiredService<ControllerDb>(), http.RequestAborted);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            services.GetRequiredService<ILogger<PciMetrics>>().LogWarning(e,
                "{Path}: cannot read the log; the device gauge is as of this replica's last catch-up", Path);
        }

        await next(http);
    }
}
