using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using PciPassthrough.Host.Agent;

namespace PciPassthrough.Host.Placement;

/// <summary>
/// A part of Placement's answer to one call, read field by field: an answer of another shape (a proxy, another
/// service at the endpoint) is a <see cref="PlacementReportException"/> naming the call and the field, so the round
/// fails as with a failing server instead of the agent stopping on a cast.
/// </summary>
/// <param name="Node">The part; null for JSON null or a missing field.</param>
/// <param name="Call">The call, e.g. <c>GET /resource_providers?name=cmp1</c>.</param>
/// <param name="Path">Where the part is in the answer, e.g. <c>resource_providers[0].uuid</c>.</param>
internal readonly record struct PlacementAnswer(JsonNode? Node, string Call, string Path)
{
    public PlacementAnswer this[string key] => new(Node.Field(key), Call, Path.Length == 0 ? key : $"{Path}.{key}");

    public bool IsNull => Node is null;

    public string Text() => Node.AsText() ?? throw Unexpected("text");

    public int Integer() => Node.AsInt() ?? throw Unexpected("an integer");

    public IEnumerable<PlacementAnswer> Items()
    {
        var (call, path) = (Call, Path);
        return Node is JsonArray items
            ? items.Select((item, i) => new PlacementAnswer(item, call, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]")))
            : throw Unexpected("a list");
    }

    public IEnumerable<(string Key, PlacementAnswer Value)> Members()
    {
        var (call, path) = (Call, Path);
        return Node is JsonObject members
            ? members.Select(m => (m.Key, new PlacementAnswer(m.Value, call, path.Length == 0 ? m.Key : $"{path}.{m.Key}")))
            : throw Unexpected("an object");
    }

    /// <summary>A copy to send back as it came.</summary>
    public JsonNode? Copy() => Node?.DeepClone();

    private PlacementReportException Unexpected(string what) => new(
        $"Placement answered {Call} with JSON of another shape: {(Path.Length == 0 ? "the answer" : Path)} is not {what}",
        HttpStatusCode.BadGateway, null);
}
