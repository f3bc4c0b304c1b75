namespace PciPassthrough.Server.Dashboard;

/// <summary>
/// The web dashboard at <c>/</c>: Razor components rendered on the server (static SSR). Every page is plain HTML built
/// from the same engine state and store the REST API reads, so it needs no JavaScript, no WebSocket and nothing from a
/// CDN; the what-if views are GET forms, so each answer has a URL an operator can share.
/// </summary>
public static class DashboardEndpoints
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents();
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseWhen(http => !DashboardAccess.IsApi(http.Request.Path), dashboard => dashboard.UseMiddleware<DashboardAccess>());
        app.UseAntiforgery();
        app.MapRazorComponents<App>();
        return app;
    }
}
