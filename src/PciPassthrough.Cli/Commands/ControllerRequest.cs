using System.Text.Json.Nodes;

namespace PciPassthrough.Cli.Commands;

/// <summary>One call a client verb makes; <paramref name="Path"/> is relative to the controller's base URL.</summary>
internal sealed record ControllerRequest(HttpMethod Method, string Path, JsonNode? Body = null);
