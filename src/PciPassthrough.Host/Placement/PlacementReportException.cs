using System.Net;
using System.Text.Json;

namespace PciPassthrough.Host.Placement;

/// <summary>Placement refused a call of the PCI report; <see cref="Code"/> is Placement's error code
/// (e.g. <c>placement.inventory.inuse</c>, 06 PM-20), null when the body carried none.</summary>
public sealed class PlacementReportException(string message, HttpStatusCode status, string? code) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string? Code { get; } = code;

    internal static PlacementReportException From(HttpMethod method, string path, HttpStatusCode status, string body)
    {
        var (code, detail) = ErrorOf(body);
        return new PlacementReportException(
            $"Placement answered {(int)status} to {method} /{path}: {detail ?? body}" + (code is null ? "" : $" ({code})"),
            status, code);
    }

    /// <summary>The first error of Placement's <c>{"errors": [{code, detail}]}</c> body, when it is one.</summary>
    private static (string? Code, string? Detail) ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object &&
                json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array &&
                errors.GetArrayLength() > 0 && errors[0].ValueKind == JsonValueKind.Object)
            {
                var first = errors[0];
                return (Text(first, "code"), Text(first, "detail"));
            }
        }
        catch (JsonException)
        {
            // not Placement's error body (e.g. a proxy's page): the message carries the raw text
        }

        return (null, null);
    }

    /// <summary>A field that is a string, else null (GetString throws on a number or on text it cannot read).</summary>
    private static string? Text(JsonElement error, string name)
    {
        try
        {
            return error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
