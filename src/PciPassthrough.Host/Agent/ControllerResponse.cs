using System.Net;
using System.Text.Json.Nodes;

namespace PciPassthrough.Host.Agent;

/// <summary>One answer of the controller.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Json">The body as JSON, or null when it is empty or not JSON (e.g. <c>domain-xml</c>).</param>
/// <param name="Text">The body as text.</param>
public sealed record ControllerResponse(HttpStatusCode Status, JsonNode? Json, string Text)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The <c>error.message</c> of an error answer, else the status and body text.</summary>
    public string ErrorMessage =>
        Json.Field("error").Field("message").AsText() is { } message ? message
        : $"HTTP {(int)Status} {Status}" + (Text.Length > 0 ? $": {Text}" : "");
}
