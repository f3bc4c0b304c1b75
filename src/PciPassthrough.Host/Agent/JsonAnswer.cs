using System.Text.Json.Nodes;

namespace PciPassthrough.Host.Agent;

/// <summary>
/// Reads an answer of another program (the controller, or whatever answers in its place: a proxy, another version)
/// that may have any shape: a field that is missing, of another type, or asked of a node that is no object reads as
/// null, where <see cref="JsonNode"/>'s indexer and casts would throw.
/// </summary>
public static class JsonAnswer
{
    public static JsonNode? Field(this JsonNode? node, string key) =>
        node is JsonObject item && item.TryGetPropertyValue(key, out var value) ? value : null;

    public static string? AsText(this JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static int? AsInt(this JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    public static bool? AsBool(this JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;
}
