using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Host.Agent;

namespace PciPassthrough.Cli.Commands;

/// <summary>The <c>table</c> format of the client verbs: the controller's JSON as aligned text, one greppable line
/// per row. Lists name their columns; a single object prints its simple fields as <c>key: value</c> and each list of
/// objects in it as a table of its own.</summary>
internal static class JsonTable
{
    public sealed record Column(string Header, Func<JsonNode?, string> Cell)
    {
        /// <summary>The column of one field, by its JSON key.</summary>
        public static Column Of(string key, string? header = null) =>
            new(header ?? key.ToUpperInvariant().Replace('_', ' '), item => Text(item.Field(key)));
    }

    /// <summary>The list under <paramref name="key"/> of <paramref name="json"/> (or <paramref name="json"/> itself
    /// when it is the list), one row per item.</summary>
    public static void WriteList(TextWriter output, JsonNode? json, string key, params Column[] columns)
    {
        var items = json as JsonArray ?? json.Field(key) as JsonArray ?? [];
        if (items.Count == 0)
        {
            output.WriteLine($"no {key.Replace('_', ' ')}");
            return;
        }

        HostTextTable.Write(output, [.. columns.Select(c => c.Header)],
            [.. items.Select(item => (IReadOnlyList<string>)[.. columns.Select(c => c.Cell(item))])]);
    }

    /// <summary>One object: simple fields first, then a table per list of objects (columns: every key seen).</summary>
    public static void WriteObject(TextWriter output, JsonNode? json)
    {
        if (json is not JsonObject item)
        {
            output.WriteLine(Text(json));
            return;
        }

        var tables = item.Where(p => p.Value is JsonArray array && array.Count > 0 && array.All(e => e is JsonObject)).ToList();
        var simple = item.Where(p => !tables.Contains(p)).ToList();
        var width = simple.Select(p => p.Key.Length).DefaultIfEmpty(0).Max();
        foreach (var (key, value) in simple)
        {
            output.WriteLine($"{(key + ":").PadRight(width + 1)}  {Text(value)}");
        }

        foreach (var (key, value) in tables)
        {
            var rows = value!.AsArray();
            var keys = rows.SelectMany(row => row!.AsObject().Select(p => p.Key)).Distinct().ToList();
            output.WriteLine();
            output.WriteLine($"{key}:");
            WriteList(output, rows, key, [.. keys.Select(k => Column.Of(k))]);
        }
    }

    /// <summary>Rows for one item with several reasons: <paramref name="leading"/> cells then the first reason, and one
    /// row per further reason with the leading cells blank, so every reason stays one greppable line.</summary>
    public static IEnumerable<IReadOnlyList<string>> ReasonRows(JsonNode? reasons, params string[] leading)
    {
        var texts = (reasons as JsonArray ?? []).Select(Text).DefaultIfEmpty("-").ToList();
        yield return [.. leading, texts[0]];
        foreach (var reason in texts.Skip(1))
        {
            yield return [.. leading.Select(_ => ""), reason];
        }
    }

    /// <summary>A value as one cell: <c>-</c> for null or an empty list, strings bare, lists joined by <c>, </c>, objects as
    /// <c>key=value</c> pairs.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null or JsonArray { Count: 0 } => "-",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        JsonArray array when array.All(e => e is not JsonObject and not JsonArray) => string.Join(", ", array.Select(Text)),
        JsonObject obj when obj.All(p => p.Value is not JsonObject and not JsonArray) =>
            obj.Count == 0 ? "-" : string.Join(", ", obj.Select(p => $"{p.Key}={Text(p.Value)}")),
        _ => node.ToJsonString(),
    };
}
