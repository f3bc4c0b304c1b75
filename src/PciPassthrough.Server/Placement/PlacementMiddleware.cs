using System.Collections.Concurrent;
using System.Net;
using System.Net.Mime;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace PciPassthrough.Server.Placement;

/// <summary>
/// The cross-cutting part of Placement's wire protocol, in order: request id (PA-5), CORS (a preflight is answered
/// here), token (PA-4, 401), microversion (PA-10…12), then on a routed call only (an unknown path is 404 whatever
/// it accepts) Accept (PA-2) and policy (PA-4, 403, before the handler changes anything), then every failure
/// rendered as Placement's error body (PA-15), including the router's own 404/405 (PA-3).
/// </summary>
public sealed class PlacementMiddleware(RequestDelegate next, PlacementServerOptions options, PlacementPolicy policy)
{
    private readonly PlacementCredentials _credentials = new(options.AuthTokens ?? []);
    private readonly PlacementCors _cors = new(options.CorsAllowedOrigins, options.CorsAllowHeaders);

    // Every call asks for its route's rule; the lookup rewrites the route pattern, so it is done once per route.
    private readonly ConcurrentDictionary<(string Method, RouteEndpoint Endpoint), string> _ruleByEndpoint = new();

    public const string RequestIdHeader = "x-openstack-request-id", AuthTokenHeader = "x-auth-token";

    public async Task InvokeAsync(HttpContext http)
    {
        var requestId = $"req-{Guid.NewGuid()}";
        http.Response.Headers[RequestIdHeader] = requestId;
        if (_cors.Enabled)
        {
            if (HttpMethods.IsOptions(http.Request.Method))
            {
                _cors.AnswerPreflight(http.Request, http.Response);
                return;
            }

            _cors.AnnotateResponse(http);
        }

        try
        {
            var identity = _credentials.Identify(http);
            if (!IsRoot(http.Request.Path) && identity is null)
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                http.Response.ContentType = MediaTypeNames.Text.Plain;
                await http.Response.WriteAsync("401 Unauthorized: this server requires a valid x-auth-token.",
                    http.RequestAborted);
                return;
            }

            NegotiateVersion(http);
            if (HttpMethods.IsGet(http.Request.Method) && http.GetEndpoint() is RouteEndpoint && !AcceptsJson(http.Request.Headers.Accept.ToString()))
            {
                throw new PlacementException(StatusCodes.Status406NotAcceptable, "Only application/json is provided");
            }

            if (identity is not null && http.GetEndpoint() is RouteEndpoint endpoint && !IsRoot(http.Request.Path)
                && RuleFor(http.Request.Method, endpoint) is var rule && !policy.Allows(rule, identity, http.Request))
            {
                throw new PlacementException(StatusCodes.Status403Forbidden, $"Policy does not allow {rule} to be performed.");
            }

            if (http.GetEndpoint() is RouteEndpoint routed)
            {
                // in this order, as the route's own checks: newer than the client's version, then the body's type
                if (routed.Metadata.GetMetadata<Since.MinimumVersion>() is { } since && !http.Version().AtLeast(since.Minor))
                {
                    throw PlacementException.NotFound("The resource could not be found.");
                }

                if (routed.Metadata.GetMetadata<PlacementHttp.JsonBody>() is not null)
                {
                    PlacementHttp.CheckContentType(http);
                }
            }

            await next(http);
            if (http.Response.StatusCode >= 400 && !http.Response.HasStarted && http.Response.ContentLength is null)
            {
                var detail = http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed
                    ? $"The method specified is not allowed for this resource. Allowed: {http.Response.Headers.Allow}"
                    : "The resource could not be found.";
                await WriteErrorAsync(http, requestId, new PlacementException(http.Response.StatusCode, detail), null);
            }
        }
        catch (PlacementException e) when (!http.Response.HasStarted)
        {
            await WriteErrorAsync(http, requestId, e, e.Status == StatusCodes.Status406NotAcceptable &&
                http.Items.ContainsKey(_unsupportedVersionKey) ? Microversion.Max : null);
        }
    }

    private static readonly object _unsupportedVersionKey = new();

    private string RuleFor(string method, RouteEndpoint endpoint) =>
        _ruleByEndpoint.GetOrAdd((method, endpoint), static key =>
            PlacementPolicy.RuleFor(key.Method, key.Endpoint.RoutePattern.RawText![PlacementEndpoints.Prefix.Length..])
            ?? throw new InvalidOperationException($"No policy rule guards {key.Method} {key.Endpoint.RoutePattern.RawText}."));

    private static bool IsRoot(PathString path) =>
        path.Value is PlacementEndpoints.Prefix or PlacementEndpoints.Prefix + "/";

    private static void NegotiateVersion(HttpContext http)
    {
        var version = Microversion.FromHeader(http.Request.Headers[Microversion.Header].ToString())
            ?? throw PlacementException.BadRequest(
                $"Invalid microversion: invalid version string: {Microversion.Requested(http.Request.Headers[Microversion.Header].ToString())}; expected 'placement X.Y'");
        if (version < Microversion.Min || version > Microversion.Max)
        {
            http.Items[_unsupportedVersionKey] = true;
            throw new PlacementException(StatusCodes.Status406NotAcceptable,
                $"Invalid microversion: Unacceptable version header: {version}; this server supports {Microversion.Min} to {Microversion.Max}");
        }

        http.SetVersion(version);
        // PA-12: echoed on every response from here on, errors included
        http.Response.Headers[Microversion.Header] = $"{Microversion.Service} {version}";
        http.Response.Headers.Vary = Microversion.Header.ToLowerInvariant();
    }

    private static bool AcceptsJson(string accept) =>
        accept.Length == 0 || accept.Contains("*/*", StringComparison.Ordinal)
        || accept.Contains(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase);

    private static async Task WriteErrorAsync(HttpContext http, string requestId, PlacementException error,
        Microversion? advertiseMax)
    {
        var response = http.Response;
        response.StatusCode = error.Status;
        var body = new JsonObject
        {
            ["status"] = error.Status,
            ["title"] = ReasonPhrases.GetReasonPhrase(error.Status),
            ["detail"] = error.Message,
            ["request_id"] = requestId,
        };
        if (http.Version().AtLeast(23))
        {
            body["code"] = error.Code;
        }

        if (advertiseMax is { } max)
        {
            body["max_version"] = max.ToString();
            body["min_version"] = Microversion.Min.ToString();
        }

        var accept = http.Request.Headers.Accept.ToString();
        if (AcceptsJson(accept))
        {
            response.ContentType = MediaTypeNames.Application.Json;
            await using var writer = new Utf8JsonWriter(response.Body, PlacementHttp.WriterOptions);
            new JsonObject { ["errors"] = new JsonArray(body) }.WriteTo(writer);
            await writer.FlushAsync(http.RequestAborted);
            return;
        }

        // PA-2: a client that does not take JSON gets the error as HTML or plain text, as Placement's WSGI stack does.
        var status = $"{error.Status} {ReasonPhrases.GetReasonPhrase(error.Status)}";
        var html = accept.Contains(MediaTypeNames.Text.Html, StringComparison.OrdinalIgnoreCase);
        response.ContentType = $"{(html ? MediaTypeNames.Text.Html : MediaTypeNames.Text.Plain)}; charset=UTF-8";
        await response.WriteAsync(html
            ? $"<html>\n <head>\n  <title>{status}</title>\n </head>\n <body>\n  <h1>{status}</h1>\n  " +
              $"{WebUtility.HtmlEncode(error.Message)}<br /><br />\n\n </body>\n</html>"
            : $"{status}\n\n{error.Message}\n\n", http.RequestAborted);
    }
}
