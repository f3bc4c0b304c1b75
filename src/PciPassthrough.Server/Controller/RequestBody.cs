using System.Net.Mime;
using System.Text.Json;
using PciPassthrough.Core.Config;

namespace PciPassthrough.Server.Controller;

/// <summary>Reads and checks request bodies by hand, so each refusal names the field, the value and what would be
/// valid (the framework's binder only says "bad request").</summary>
public readonly struct RequestBody
{
    private readonly JsonElement _object;
    private readonly string _path;

    /// <summary>A key given twice is refused: which one counts would be a guess (and JsonNode throws on it).</summary>
    private static readonly JsonDocumentOptions _options = new() { AllowDuplicateProperties = false };

    private RequestBody(JsonElement element, string path)
    {
        _object = element;
        _path = path;
    }

    public static async Task<RequestBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase))
        {
            throw new ControllerException(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                $"the body must be JSON with Content-Type: application/json, got {request.ContentType ?? "none"}.");
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, _options, cancellationToken);
            if (JsonStrings.FirstUnreadable(document.RootElement, "body") is { } where)
            {
                throw ControllerException.BadRequest(where, $"{where} {JsonStrings.Problem}; send the body as UTF-8 JSON.");
            }

            return Of(document.RootElement.Clone(), "body");
        }
        catch (JsonException e)
        {
            throw ControllerException.BadRequest("body", $"the body is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // the duplicate-key check reads every key: one that cannot be read throws here already
            throw ControllerException.BadRequest("body", $"a key of body {JsonStrings.Problem}; send the body as UTF-8 JSON.");
        }
    }

    /// <summary><paramref name="element"/> as an object, refused (naming <paramref name="path"/>) otherwise.</summary>
    public static RequestBody Of(JsonElement element, string path) => element.ValueKind == JsonValueKind.Object
        ? new RequestBody(element, path)
        : throw ControllerException.BadRequest(path, $"{path} must be a JSON object, got {Show(element)}.");

    public JsonElement Element => _object;

    /// <summary>Refuses keys other than <paramref name="allowed"/>, which are most often typos.</summary>
    public RequestBody Only(params string[] allowed)
    {
        foreach (var property in _object.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw ControllerException.BadRequest(Field(property.Name),
                    $"{Field(property.Name)} is not a known key; valid keys: {string.Join(", ", allowed)}.");
            }
        }

        return this;
    }

    public JsonElement? Optional(string name) =>
        _object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string String(string name) => OptionalString(name)
        ?? throw ControllerException.BadRequest(Field(name), $"{Field(name)} is required: a non-empty string.");

    public string? OptionalString(string name) => Optional(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value when value.GetString() is { Length: > 0 and <= 255 } text => text,
        var value => throw ControllerException.BadRequest(Field(name),
            $"{Field(name)} must be a string of 1 to 255 characters, got {Show(value.Value)}."),
    };

    public string? OneOf(string name, IReadOnlyList<string> valid) => OptionalString(name) switch
    {
        null => null,
        var text when valid.Contains(text, StringComparer.Ordinal) => text,
        var text => throw ControllerException.BadRequest(Field(name),
            $"{Field(name)} '{text}' is not valid; valid values: {string.Join(", ", valid)}."),
    };

    public int Int(string name, int min, int? fallback = null) => Optional(name) switch
    {
        null when fallback is { } value => value,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) && number >= min => number,
        var value => throw ControllerException.BadRequest(Field(name),
            $"{Field(name)} must be an integer of at least {min}, got {(value is { } v ? Show(v) : "nothing")}."),
    };

    public bool? OptionalBool(string name) => Optional(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var value => throw ControllerException.BadRequest(Field(name), $"{Field(name)} must be true or false, got {Show(value.Value)}."),
    };

    /// <summary>An optional object of strings (flavor extra specs).</summary>
    public Dictionary<string, string> Strings(string name)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Optional(name) is not { } value)
        {
            return result;
        }

        foreach (var property in Of(value, Field(name))._object.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()!
                : throw ControllerException.BadRequest($"{Field(name)}.{property.Name}",
                    $"{Field(name)}.{property.Name} must be a string, got {Show(property.Value)}.");
        }

        return result;
    }

    /// <summary>An optional list of strings (port ids).</summary>
    public IReadOnlyList<string> StringList(string name)
    {
        var field = Field(name);
        return Optional(name) switch
        {
            null => [],
            { ValueKind: JsonValueKind.Array } value => [.. value.EnumerateArray().Select((item, i) =>
                item.ValueKind == JsonValueKind.String ? item.GetString()!
                : throw ControllerException.BadRequest($"{field}[{i}]", $"{field}[{i}] must be a string, got {Show(item)}."))],
            var value => throw ControllerException.BadRequest(field, $"{field} must be a list of strings, got {Show(value.Value)}."),
        };
    }

    private string Field(string name) => _path == "body" ? name : $"{_path}.{name}";

    public static string Show(JsonElement value) => value.GetRawText() is { Length: > 80 } text ? text[..77] + "..." : value.GetRawText();
}
