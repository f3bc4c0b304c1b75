using System.Globalization;
using System.Text.Json;

namespace PciPassthrough.Core.Config;

/// <summary>
/// A parsed request body may hold text .NET cannot read as a string: bytes that are not UTF-8, or an escaped lone
/// surrogate (<c>"\ud800"</c>). <see cref="JsonDocument"/> accepts both and <see cref="JsonElement.GetString"/> throws
/// later, deep in whatever reads it (a 500 in an API, an internal error in simulate); readers check the whole document
/// first and refuse it naming where.
/// </summary>
public static class JsonStrings
{
    /// <summary>What is wrong with the text.</summary>
    public const string What = "bytes that are not UTF-8, or a lone surrogate escape (\\ud800-\\udfff without its pair)";

    /// <summary>What a client should fix, after the place (e.g. <c>body.name</c>).</summary>
    public const string Problem = "is not valid text: " + What;

    /// <summary>The first key or string of <paramref name="element"/> that cannot be read, named from
    /// <paramref name="path"/> (e.g. <c>body.name</c>, <c>a key of body</c>); null when every one can.</summary>
    public static string? FirstUnreadable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryRead(property, out var name))
                    {
                        return $"a key of {path}";
                    }

                    if (FirstUnreadable(property.Value, $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUnreadable(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]")) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.String:
                return TryRead(element, out _) ? null : path;
            default:
                return null;
        }
    }

    private static bool TryRead(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private static bool TryRead(JsonElement element, out string? text)
    {
        try
        {
            text = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }
}
