using System.Text.Json;
using System.Text.Json.Nodes;

namespace PciPassthrough.Core.Config;

/// <summary>
/// Nova's boolean words (spec README conventions): true = <c>1 t true on y yes</c>, false = <c>0 f false off n no</c>,
/// compared after trimming and lower-casing. "Strict" rejects other words, "lenient" reads them as false.
/// </summary>
public static class NovaBoolean
{
    public static IReadOnlyList<string> TrueWords { get; } = ["1", "t", "true", "on", "y", "yes"];
    public static IReadOnlyList<string> FalseWords { get; } = ["0", "f", "false", "off", "n", "no"];

    /// <summary>"one of 1, t, true, …, n, no" — for error messages.</summary>
    public static string Accepted { get; } = "one of " + string.Join(", ", TrueWords.Concat(FalseWords));

    /// <summary>Strict reading of a word; null when it is none of the words.</summary>
    public static bool? ParseStrict(string? text)
    {
        var word = text?.Trim().ToLowerInvariant();
        return word is null ? null : TrueWords.Contains(word) ? true : FalseWords.Contains(word) ? false : null;
    }

    /// <summary>Strict reading of a JSON value: a JSON boolean is itself, a number or string is read as its text.</summary>
    public static bool? ParseStrict(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when NovaJson.IsString(v, out var text) => ParseStrict(text),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => ParseStrict(NovaJson.ToText(v)),
        _ => null,
    };

    /// <summary>Lenient reading: anything but a true word or JSON <c>true</c> (including absent) is false.</summary>
    public static bool ParseLenient(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when NovaJson.IsString(v, out var text) => ParseLenient(text),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => ParseLenient(NovaJson.ToText(v)),
        _ => false,
    };

    public static bool ParseLenient(string? text) => ParseStrict(text) == true;
}
