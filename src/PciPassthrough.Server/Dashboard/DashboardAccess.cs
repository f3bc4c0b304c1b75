using System.Net;
using System.Net.Mime;
using PciPassthrough.Server.Placement;

namespace PciPassthrough.Server.Dashboard;

/// <summary>
/// The dashboard shows every project's servers and every host, so it is for admins: the same tokens as the APIs,
/// taken from the <c>x-auth-token</c> header, the <c>pcictl-token</c> cookie, or <c>?token=</c> once (which sets the
/// cookie). Without configured tokens (noauth mode), loopback browsers are the admin, as <c>x-auth-token: admin</c>.
/// </summary>
public sealed class DashboardAccess(RequestDelegate next, PlacementServerOptions options)
{
    public const string Cookie = "pcictl-token";

    private readonly PlacementCredentials _credentials = new(options.AuthTokens ?? []);
    private readonly bool _noAuth = options.AuthTokens is not { Count: > 0 };

    public async Task InvokeAsync(HttpContext http)
    {
        var headers = http.Request.Headers;
        if (http.Request.Query.TryGetValue("token", out var fromQuery) && fromQuery.ToString() is { Length: > 0 } token)
        {
            http.Response.Cookies.Append(Cookie, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict });
            headers[PlacementMiddleware.AuthTokenHeader] = token;
        }
        else if (!headers.ContainsKey(PlacementMiddleware.AuthTokenHeader))
        {
            headers[PlacementMiddleware.AuthTokenHeader] = http.Request.Cookies[Cookie] ?? (_noAuth ? "admin" : "");
        }

        var identity = _credentials.Identify(http);
        if (identity is not null && (identity.Roles.Contains("admin") || identity.Roles.Contains("service")))
        {
            await next(http);
            return;
        }

        http.Response.StatusCode = identity is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
        http.Response.ContentType = MediaTypeNames.Text.Html;
        var why = identity is null
            ? _noAuth ? "In noauth mode only this machine (loopback) may open the dashboard." : "This controller needs an admin token."
            : "This token is not an admin's; the dashboard shows every project, so it is for the admin and service roles.";
        await http.Response.WriteAsync($"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>pcictl: sign in</title></head><body>
            <h1>pcictl dashboard</h1><p id="access-error">{WebUtility.HtmlEncode(why)}</p>
            <form method="get"><label>admin token <input type="password" name="token" id="token"></label>
            <button type="submit">Open</button></form></body></html>
            """);
    }

    /// <summary>Paths of the APIs, which check tokens their own way.</summary>
    public static bool IsApi(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/placement") || path.StartsWithSegments("/healthz")
        || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/metrics");
}
