using System.Globalization;
using System.Net.Mime;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Config;

namespace PciPassthrough.Server.Placement;

/// <summary>What every Placement handler needs from the request: its microversion and its JSON body.</summary>
public static class PlacementHttp
{
    private static readonly object _versionKey = new();

    public static Microversion Version(this HttpContext http) =>
        http.Items.TryGetValue(_versionKey, out var version) ? (Microversion)version! : Microversion.Min;

    internal static void SetVersion(this HttpContext http, Microversion version) => http.Items[_versionKey] = version;

    /// <summary>PA-1: a route that takes a JSON body refuses another content type before anything else, as Placement
    /// does (a provider that does not exist is then 415, not 404); <see cref="PlacementMiddleware"/> checks it.</summary>
    public static TBuilder RequiresJson<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(JsonBody.Instance);

    public sealed class JsonBody
    {
        public static readonly JsonBody Instance = new();

        private JsonBody()
        {
        }
    }

    /// <summary>PA-1: the body must be JSON and say so; anything else is 415 (naming the type) or 400 (saying what
    /// is wrong where, as Placement does).</summary>
    public static async Task<JsonElement> ReadJsonAsync(this HttpContext http, CancellationToken cancellationToken)
    {
        CheckContentType(http);
        var reader = http.Request.BodyReader;
        var read = await reader.ReadAsync(cancellationToken);
        while (!read.IsCompleted)
        {
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await reader.ReadAsync(cancellationToken);
        }

        try
        {
            using var document = JsonDocument.Parse(read.Buffer);
            return JsonStrings.FirstUnreadable(document.RootElement, "body") is { } where
                ? throw PlacementException.BadRequest($"Malformed JSON: {where} {JsonStrings.Problem}")
                : document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw PlacementException.BadRequest($"Malformed JSON: {MalformedJson.Describe(Encoding.UTF8.GetString(read.Buffer)) ?? e.Message}");
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    internal static void CheckContentType(HttpContext http)
    {
        var contentType = http.Request.ContentType;
        if (contentType is null || !contentType.StartsWith(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase))
        {
            throw new PlacementException(StatusCodes.Status415UnsupportedMediaType,
                $"The media type {contentType ?? "None"} is not supported, use application/json");
        }
    }

    /// <summary>Placement's JSON text: quotes and apostrophes as themselves (<c>\"</c>, <c>'</c>), since clients and
    /// Placement's own tests match substrings of the raw body.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON answer; from 1.15 with <c>Last-Modified</c> and <c>Cache-Control: no-cache</c> (PA-7).
    /// <paramref name="location"/>, like every href, is relative to the mount point. Without
    /// <paramref name="lastModified"/> only <c>Cache-Control</c> is sent: Placement has no time for an empty
    /// inventory list.</summary>
    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK, string? location = null, bool lastModified = true) =>
        new JsonResult(body, status, location, CacheHeaders: true, lastModified);

    /// <summary>201 with <c>Location</c> and no body (the pre-1.20 provider create, resource class and trait PUTs).</summary>
    public static IResult Created(string location) => new JsonResult(null, StatusCodes.Status201Created, location, CacheHeaders: false);

    /// <summary>204 with <c>Location</c> and no cache headers (the 1.7+ resource class PUT of an existing class).</summary>
    public static IResult NoContentAt(string location) => new JsonResult(null, StatusCodes.Status204NoContent, location, CacheHeaders: false);

    /// <summary>A bodiless answer that still carries the cache headers from 1.15, as Placement's trait GET and PUT do.</summary>
    public static IResult Empty(int status, string? location = null) => new JsonResult(null, status, location, CacheHeaders: true);

    private sealed record JsonResult(JsonNode? Body, int Status, string? Location, bool CacheHeaders, bool LastModified = true) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = Status;
            if (Location is not null)
            {
                // Absolute, as Placement's WebOb sends it: osc-placement GETs the header as is, and keystoneauth
                // would prefix a path with the endpoint (which already ends in /placement).
                var request = httpContext.Request;
                response.Headers.Location = $"{request.Scheme}://{request.Host}{PlacementEndpoints.Prefix}{Location}";
            }

            if (CacheHeaders && httpContext.Version().AtLeast(15))
            {
                if (LastModified)
                {
                    response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
                }

                response.Headers.CacheControl = "no-cache";
            }

            if (Body is null)
            {
                return;
            }

            response.ContentType = MediaTypeNames.Application.Json;
            await using var writer = new Utf8JsonWriter(response.Body, WriterOptions);
            Body.WriteTo(writer);
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}
