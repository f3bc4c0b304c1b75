using System.Net.Mime;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using PciPassthrough.Server.Placement;

namespace PciPassthrough.Server.Controller;

/// <summary>The REST API's cross-cutting part, in order: the token (401 before anything runs), then every failure
/// rendered as <c>{"error": {"code", "message", …}}</c>, including the router's own 404/405.</summary>
public sealed class ControllerMiddleware(RequestDelegate next, PlacementServerOptions options, ILogger<ControllerMiddleware> log)
{
    private readonly PlacementCredentials _credentials = new(options.AuthTokens ?? []);

    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            var identity = _credentials.Identify(http) ?? throw new ControllerException(
                StatusCodes.Status401Unauthorized, ControllerException.UnauthorizedCode,
                $"this server requires a valid {PlacementMiddleware.AuthTokenHeader} header; the request has " +
                (http.Request.Headers.ContainsKey(PlacementMiddleware.AuthTokenHeader) ? "an unknown one." : "none."));
            ControllerCaller.From(identity).Attach(http);
            await next(http);
            if (http.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed
                && !http.Response.HasStarted && http.Response.ContentLength is null)
            {
                throw new ControllerException(http.Response.StatusCode,
                    http.Response.StatusCode == StatusCodes.Status404NotFound ? ControllerException.NotFoundCode : "method_not_allowed",
                    http.Response.StatusCode == StatusCodes.Status404NotFound
                        ? $"no such resource: {http.Request.Path}; the OpenAPI document at /openapi/v1.json lists them."
                        : $"{http.Request.Method} is not allowed on {http.Request.Path}; allowed: {http.Response.Headers.Allow}.");
            }
        }
        catch (ControllerException e) when (!http.Response.HasStarted)
        {
            await WriteAsync(http, e.Status, e.Code, e.Message, e.Details);
        }
        catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
        {
            log.LogError(e, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
            await WriteAsync(http, StatusCodes.Status500InternalServerError, "internal_error",
                $"{ReasonPhrases.GetReasonPhrase(500)}: {e.GetType().Name}: {e.Message}", null);
        }
    }

    private static async Task WriteAsync(HttpContext http, int status, string code, string message, JsonObject? details)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        foreach (var (key, value) in details ?? [])
        {
            error[key] = value?.DeepClone();
        }

        http.Response.Clear();
        http.Response.StatusCode = status;
        http.Response.ContentType = MediaTypeNames.Application.Json;
        await using var writer = new Utf8JsonWriter(http.Response.Body, new JsonWriterOptions { Encoder = ControllerJson.Options.Encoder });
        new JsonObject { ["error"] = error }.WriteTo(writer);
        await writer.FlushAsync(http.RequestAborted);
    }
}
