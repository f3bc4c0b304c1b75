namespace PciPassthrough.Server.Placement;

/// <summary>
/// Cross-origin requests as Placement serves them with oslo.middleware's CORS filter, on when
/// <c>[cors] allowed_origin</c> lists an origin (<c>serve --cors-allowed-origin</c>): an <c>OPTIONS</c> request is a
/// preflight, answered 200 without a token and granted (<c>Access-Control-Allow-Origin</c>, the method, the asked
/// headers) only for an allowed origin, a permitted method and headers that are simple or listed in
/// <c>[cors] allow_headers</c>; any other request from an allowed origin gets <c>Access-Control-Allow-Origin</c>.
/// A request from another origin gets no CORS header at all. Credentials are allowed and preflights cached for an
/// hour, oslo.middleware's defaults; actual responses expose the headers Placement's defaults list (so a page can read
/// the request id and the microversion).
/// </summary>
public sealed class PlacementCors(IReadOnlyList<string> allowedOrigins, IReadOnlyList<string> allowHeaders)
{
    private static readonly string[] _simpleHeaders =
        ["Accept", "Accept-Language", "Content-Type", "Cache-Control", "Content-Language", "Expires", "Last-Modified", "Pragma"];

    private static readonly string[] _allowMethods = ["OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "PATCH"];

    private const string MaxAgeSeconds = "3600";

    private const string ExposeHeaders = "X-Auth-Token,X-Openstack-Request-Id,X-Subject-Token,X-Service-Token,OpenStack-API-Version";

    public bool Enabled => allowedOrigins.Count > 0;

    /// <summary>The answer to a preflight (<c>OPTIONS</c>): 200, empty, with the grant when there is one.</summary>
    public void AnswerPreflight(HttpRequest request, HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        if (AllowedOrigin(request) is not { } origin
            || request.Headers.AccessControlRequestMethod.ToString() is not { Length: > 0 } method
            || !_allowMethods.Contains(method, StringComparer.Ordinal))
        {
            return;
        }

        var asked = request.Headers.AccessControlRequestHeaders.ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (!asked.All(h => _simpleHeaders.Contains(h, StringComparer.OrdinalIgnoreCase) || allowHeaders.Contains(h, StringComparer.OrdinalIgnoreCase)))
        {
            return;
        }

        var headers = response.Headers;
        headers.Vary = "Origin";
        Grant(headers, origin);
        headers.AccessControlMaxAge = MaxAgeSeconds;
        headers.AccessControlAllowMethods = method;
        if (asked.Length > 0)
        {
            headers.AccessControlAllowHeaders = string.Join(',', asked);
        }
    }

    /// <summary>Marks the response to an actual request from an allowed origin, once its headers are final.</summary>
    public void AnnotateResponse(HttpContext http)
    {
        if (AllowedOrigin(http.Request) is not { } origin)
        {
            return;
        }

        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.Vary = headers.Vary.Count > 0 ? $"{headers.Vary},Origin" : "Origin";
            Grant(headers, origin);
            headers.AccessControlExposeHeaders = ExposeHeaders;
            return Task.CompletedTask;
        });
    }

    private static void Grant(IHeaderDictionary headers, string origin)
    {
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowCredentials = "true";
    }

    /// <summary>What <c>Access-Control-Allow-Origin</c> says to this request's <c>Origin</c>: itself when listed,
    /// <c>*</c> when any origin is allowed, else nothing.</summary>
    private string? AllowedOrigin(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin
            ? allowedOrigins.Contains(origin, StringComparer.Ordinal) ? origin : allowedOrigins.Contains("*") ? "*" : null
            : null;
}
