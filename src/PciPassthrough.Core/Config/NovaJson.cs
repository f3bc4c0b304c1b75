using System.Text.Json;
using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Config;

/// <summary>Reads option values the way Nova's JSON loader does.</summary>
internal static class NovaJson
{
    /// <summary>
    /// Parses strict JSON (double-quoted strings, no comments, no trailing commas). A key repeated in one object
    /// keeps its first position and its last value, as a Python dict does.
    /// </summary>
    public static bool TryParse(string text, out JsonNode? node)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            node = ToNode(document.RootElement);
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // InvalidOperationException: a string holding an escaped lone surrogate cannot be read as .NET text.
            node = null;
            return false;
        }
    }

    /// <summary>The value as compact JSON text, non-ASCII kept readable.</summary>
    public static string ToText(JsonNode? node) => node is null ? "null" : node.ToJsonString(CompactOptions);

    /// <summary>Whether Python would read the value as false (<c>null</c>, <c>""</c>, <c>0</c>, <c>false</c>, <c>[]</c>, <c>{}</c>).</summary>
    public static bool IsFalsy(JsonNode? node) => node switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.False => true,
            JsonValueKind.Number => v.TryGetValue<double>(out var d) && d == 0,
            _ => false,
        },
        _ => false,
    };

    public static bool IsString(JsonNode? node, out string text)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }

        text = "";
        return false;
    }

    public static JsonSerializerOptions CompactOptions { get; } = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static JsonNode? ToNode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    obj[property.Name] = ToNode(property.Value);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(ToNode(item));
                }

                return array;
            case JsonValueKind.String:
                return JsonValue.Create(element.GetString()!);
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            case JsonValueKind.Null:
                return null;
            default:
                // numbers keep their text (1.0 stays 1.0)
                return JsonValue.Create(element.Clone());
        }
    }
}
