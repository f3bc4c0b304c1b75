using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace PciPassthrough.Testing.Scenarios;

/// <summary>Compares one value of a result; null when equal under the comparison rules.</summary>
internal delegate ResultDifference? ValueComparer(JsonElement expected, JsonElement actual, string path);

/// <summary>
/// The generic rules of scenario-format §8 that hold everywhere in a result: values are equal as JSON, numbers
/// numerically (<c>16</c> = <c>16.0</c>, <c>true</c> ≠ <c>1</c>), an <c>explain</c> key is ignored on both sides
/// (rule 1), and of an ERROR object only <c>type</c>, <c>nova_exception</c> and <c>key</c> count (rule 2).
/// </summary>
internal static class JsonComparer
{
    public const string ExplainKey = "explain";
    private const int MaxShownLength = 160;

    // Computed amounts (free capacity × allocation ratio) may round differently in another language.
    private const double RelativeTolerance = 1e-9;

    public static ResultDifference? Compare(JsonElement expected, JsonElement actual, string path)
    {
        if (IsError(expected))
        {
            return CompareError(expected, actual, path);
        }

        return expected.ValueKind switch
        {
            JsonValueKind.Object => CompareObject(expected, actual, path),
            JsonValueKind.Array => CompareArray(expected, actual, path, Compare),
            JsonValueKind.Number => actual.ValueKind == JsonValueKind.Number && SameNumber(expected, actual)
                ? null
                : Differ(path, expected, actual),
            JsonValueKind.String => actual.ValueKind == JsonValueKind.String
                && string.Equals(expected.GetString(), actual.GetString(), StringComparison.Ordinal)
                ? null
                : Differ(path, expected, actual),
            _ => expected.ValueKind == actual.ValueKind ? null : Differ(path, expected, actual),
        };
    }

    public static bool AreEqual(JsonElement expected, JsonElement actual) => Compare(expected, actual, "$") is null;

    /// <summary>
    /// Both objects must have the same keys besides <c>explain</c>; each value is compared by the comparer
    /// <paramref name="special"/> returns for its key, or by <see cref="Compare"/> when it returns null.
    /// </summary>
    public static ResultDifference? CompareObject(
        JsonElement expected, JsonElement actual, string path, Func<string, ValueComparer?>? special = null)
    {
        if (expected.ValueKind != JsonValueKind.Object)
        {
            return Compare(expected, actual, path);
        }

        if (actual.ValueKind != JsonValueKind.Object)
        {
            return Differ(path, expected, actual);
        }

        foreach (var property in expected.EnumerateObject())
        {
            if (property.Name != ExplainKey && !actual.TryGetProperty(property.Name, out _))
            {
                return new(Child(path, property.Name), "missing from the result");
            }
        }

        foreach (var property in actual.EnumerateObject())
        {
            if (property.Name != ExplainKey && !expected.TryGetProperty(property.Name, out _))
            {
                return new(Child(path, property.Name), $"unexpected key (only \"{ExplainKey}\" may be added)");
            }
        }

        foreach (var property in expected.EnumerateObject())
        {
            if (property.Name == ExplainKey)
            {
                continue;
            }

            var compare = special?.Invoke(property.Name) ?? Compare;
            if (compare(property.Value, actual.GetProperty(property.Name), Child(path, property.Name)) is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    /// <summary>Lists of the same length whose items compare equal pairwise with <paramref name="compareItem"/>.</summary>
    public static ResultDifference? CompareArray(
        JsonElement expected, JsonElement actual, string path, ValueComparer compareItem)
    {
        if (expected.ValueKind != JsonValueKind.Array)
        {
            return Compare(expected, actual, path);
        }

        if (actual.ValueKind != JsonValueKind.Array)
        {
            return Differ(path, expected, actual);
        }

        if (expected.GetArrayLength() != actual.GetArrayLength())
        {
            return Differ(path, expected, actual,
                $"expected {expected.GetArrayLength()} items, got {actual.GetArrayLength()}");
        }

        foreach (var (item, i) in expected.EnumerateArray().Select((item, i) => (item, i)))
        {
            if (compareItem(item, actual[i], $"{path}[{i}]") is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    public static string Child(string path, string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':')
            ? $"{path}.{key}"
            : $"{path}[{JsonSerializer.Serialize(key)}]";

    public static ResultDifference Differ(string path, JsonElement expected, JsonElement actual, string? what = null) =>
        Differ(path, Show(expected), Show(actual), what);

    public static ResultDifference Differ(string path, string expected, string actual, string? what = null) =>
        new(path, (what is null ? "" : what + ": ") + $"expected {expected}, got {actual}");

    /// <summary>Compact JSON, shortened for a one-line message.</summary>
    public static string Show<T>(T value)
    {
        var text = value is JsonElement { ValueKind: JsonValueKind.Undefined } ? "nothing" : JsonSerializer.Serialize(value);
        return text.Length <= MaxShownLength ? text : string.Concat(text.AsSpan(0, MaxShownLength - 3), "...");
    }

    /// <summary>The text of a string value, or null for any other kind.</summary>
    public static string? AsString(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The value of an object's key; <see cref="JsonValueKind.Undefined"/> when there is none.</summary>
    public static JsonElement Property(JsonElement item, string key) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(key, out var value) ? value : default;

    private static bool IsError(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
        && value.TryGetProperty("type", out _)
        && value.TryGetProperty("nova_exception", out _)
        && value.TryGetProperty("message", out _);

    private static ResultDifference? CompareError(JsonElement expected, JsonElement actual, string path) =>
        actual.ValueKind != JsonValueKind.Object
            ? Differ(path, expected, actual, "expected an error object")
            : CompareObject(expected, actual, path, key => key == "message" ? AnyString : null);

    /// <summary>Free text: any string is as good as the expected one.</summary>
    private static ResultDifference? AnyString(JsonElement expected, JsonElement actual, string path) =>
        actual.ValueKind == JsonValueKind.String ? null : Differ(path, "a string", Show(actual));

    /// <summary>Integers exactly (Python's have no bound: 1e308 × 4 is an integer past the double range), anything
    /// with a fraction or an exponent within a relative tolerance.</summary>
    private static bool SameNumber(JsonElement expected, JsonElement actual)
    {
        if (IntegerOf(expected) is { } x && IntegerOf(actual) is { } y)
        {
            return x == y;
        }

        if (!expected.TryGetDouble(out var e) || !actual.TryGetDouble(out var a))
        {
            return expected.GetRawText() == actual.GetRawText();
        }

        return Math.Abs(e - a) <= RelativeTolerance * Math.Max(1, Math.Max(Math.Abs(e), Math.Abs(a)));
    }

    private static BigInteger? IntegerOf(JsonElement number) =>
        number.GetRawText() is var text && text.AsSpan().IndexOfAny('.', 'e', 'E') < 0
            ? BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
            : null;
}
