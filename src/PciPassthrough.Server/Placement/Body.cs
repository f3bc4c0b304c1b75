using System.Text.Json;
using System.Text.RegularExpressions;

namespace PciPassthrough.Server.Placement;

/// <summary>Placement's JSON-schema checks on request bodies: every failure is a 400 naming the field, the value
/// and what would be valid.</summary>
public static partial class Body
{
    public const int MaxInt = int.MaxValue;

    /// <summary>The body as an object with only <paramref name="allowed"/> keys and all <paramref name="required"/> ones.
    /// A missing key is reported before an unexpected one, as jsonschema does for schemas listing "required" first.</summary>
    public static JsonElement Object(JsonElement element, string what, IReadOnlyCollection<string> allowed,
        params string[] required) => Object(element, what, allowed, required, extrasFirst: false);

    /// <summary><see cref="Object(JsonElement, string, IReadOnlyCollection{string}, string[])"/> for schemas listing
    /// "additionalProperties" before "required" (the dict-form allocation bodies).</summary>
    public static JsonElement ObjectExtrasFirst(JsonElement element, string what, IReadOnlyCollection<string> allowed,
        params string[] required) => Object(element, what, allowed, required, extrasFirst: true);

    private static JsonElement Object(JsonElement element, string what, IReadOnlyCollection<string> allowed,
        string[] required, bool extrasFirst)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"{Repr(element)} is not of type 'object' ({what})", "type");
        }

        if (extrasFirst)
        {
            CheckExtras(element, what, allowed);
        }

        foreach (var name in required)
        {
            if (!element.TryGetProperty(name, out _))
            {
                throw Invalid($"'{name}' is a required property of {what}", "required");
            }
        }

        CheckExtras(element, what, allowed);
        return element;
    }

    /// <summary>A JSON object whatever its keys: a map the caller checks entry by entry.</summary>
    public static JsonElement Map(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Invalid($"{Repr(element)} is not of type 'object' ({what})", "type");

    /// <summary>jsonschema's wording: every unexpected key, sorted.</summary>
    private static void CheckExtras(JsonElement element, string what, IReadOnlyCollection<string> allowed)
    {
        var extras = element.EnumerateObject().Select(p => p.Name).Where(name => !allowed.Contains(name)).Order(StringComparer.Ordinal).ToList();
        if (extras.Count > 0)
        {
            throw Invalid($"Additional properties are not allowed ({string.Join(", ", extras.Select(e => $"'{e}'"))} " +
                $"{(extras.Count == 1 ? "was" : "were")} unexpected); {what} allows: {string.Join(", ", allowed)}", "additionalProperties");
        }
    }

    public static string String(JsonElement owner, string name, int minLength = 1, int maxLength = 255)
    {
        var value = owner.GetProperty(name);
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { } text)
        {
            throw Invalid($"{Repr(value)} is not of type 'string' ('{name}')", "type");
        }

        return text.Length < minLength ? throw Invalid($"{Repr(value)} is too short ('{name}')", "minLength")
            : text.Length > maxLength ? throw Invalid($"{Repr(value)} is too long ('{name}')", "maxLength")
            : text;
    }

    /// <summary>An integer property in [<paramref name="min"/>, <paramref name="max"/>]; the error is jsonschema's,
    /// naming <paramref name="schemaPath"/> (e.g. <c>['properties']['total']</c>) when given.</summary>
    public static int Int(JsonElement owner, string name, int min, int max = MaxInt, string schemaPath = "") =>
        (int)Integer(owner, name, min, max, schemaPath);

    /// <summary>As <see cref="Int"/>, for a schema whose integer has no maximum (values beyond the long range are
    /// clamped to it).</summary>
    public static long Integer(JsonElement owner, string name, long min, long max = long.MaxValue, string schemaPath = "")
    {
        var value = owner.GetProperty(name);
        // jsonschema counts a float with no fraction (2.0, 3.5e+38) as an integer
        if (value.ValueKind != JsonValueKind.Number || !TryGetInteger(value, out var number))
        {
            throw Invalid($"{Repr(value)} is not of type 'integer' ('{name}')", "type", schemaPath);
        }

        var text = value.GetRawText();
        return number < min ? throw Invalid($"{text} is less than the minimum of {min} ('{name}')", "minimum", schemaPath)
            : number > max ? throw Invalid($"{text} is greater than the maximum of {max} ('{name}')", "maximum", schemaPath)
            : number;
    }

    /// <summary>The number as an integer when it has no fraction, clamped to the long range.</summary>
    private static bool TryGetInteger(JsonElement value, out long number)
    {
        if (value.TryGetInt64(out number))
        {
            return true;
        }

        var real = value.GetDouble();
        number = Math.Abs(real) < long.MaxValue ? (long)real : real < 0 ? long.MinValue : long.MaxValue;
        return double.IsInteger(real);
    }

    /// <summary>A provider or consumer generation: Placement's schema only asks for an integer, so a negative or huge
    /// one is a generation conflict rather than a 400.</summary>
    public static long Generation(JsonElement owner, string name) => Integer(owner, name, long.MinValue);

    public static int IntOr(JsonElement owner, string name, int fallback, int min, int max = MaxInt, string schemaPath = "") =>
        owner.TryGetProperty(name, out _) ? Int(owner, name, min, max, schemaPath) : fallback;

    /// <summary>A provider or consumer UUID, normalised to lower-case dashed form (PA-6); null when not a UUID.</summary>
    public static string? NormalizeUuid(string text) =>
        Guid.TryParse(text, out var uuid) && (text.Length == 32 || text.Length == 36) ? uuid.ToString() : null;

    public static string Uuid(JsonElement owner, string name) =>
        owner.GetProperty(name) is { ValueKind: JsonValueKind.String } value && NormalizeUuid(value.GetString()!) is { } uuid
            ? uuid
            : throw Invalid($"{Repr(owner.GetProperty(name))} is not a 'uuid' ('{name}')", "format");

    /// <summary>A UUID or JSON null.</summary>
    public static string? NullableUuid(JsonElement owner, string name) =>
        owner.GetProperty(name).ValueKind == JsonValueKind.Null ? null : Uuid(owner, name);

    /// <summary>A JSON value as jsonschema quotes it in its messages (Python's repr: strings in single quotes).</summary>
    public static string Repr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{value.GetString()}'",
        JsonValueKind.Array => $"[{string.Join(", ", value.EnumerateArray().Select(Repr))}]",
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        JsonValueKind.Object => $"{{{string.Join(", ", value.EnumerateObject().Select(p => $"'{p.Name}': {Repr(p.Value)}"))}}}",
        _ => value.GetRawText(),
    };

    /// <summary>A schema failure worded as Placement's jsonschema errors, whose "Failed validating 'KEYWORD'" clients
    /// and Placement's tests match.</summary>
    public static PlacementException Invalid(string message, string keyword, string schemaPath = "") =>
        PlacementException.BadRequest($"JSON does not validate: {message}\n\nFailed validating '{keyword}' in schema{schemaPath}.");

    public static bool IsResourceClassName(string name) => ResourceClassPattern().IsMatch(name);

    public static bool IsCustomName(string name) => name.Length <= 255 && MatchesCustomPattern(name);

    /// <summary><c>^CUSTOM_[A-Z0-9_]+$</c>, whatever the length.</summary>
    public static bool MatchesCustomPattern(string name) => CustomNamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Z0-9_]+$")]
    private static partial Regex ResourceClassPattern();

    [GeneratedRegex("^CUSTOM_[A-Z0-9_]+$")]
    private static partial Regex CustomNamePattern();
}
