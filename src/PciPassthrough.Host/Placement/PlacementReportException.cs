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
                return (first.TryGetProperty("code", out var code) ? code.GetString() : null,
                    first.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
            }
        }
        catch (JsonException)
        {
            // not Placement's error body (e.g. a proxy's page): the message carries the raw text
        }

        return (null, null);
    }
}
