using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PciPassthrough.Core.Simulation;

/// <summary>
/// Turns a JSON value into the text Python's <c>json.dumps</c> writes with its defaults — what the reference
/// puts into <c>nova.conf</c> lines and flavor extra specs when a scenario gives a non-string value
/// (scenario-format §2.2, §2.5): <c>", "</c> between items, <c>": "</c> after keys, keys in input order, every
/// character outside printable ASCII as a lower-case <c>\uXXXX</c>, floats as Python's <c>repr</c>.
/// </summary>
public static class PythonJsonText
{
    /// <summary>Python's <c>str()</c> of a JSON value, as oslo's string fields store it (<c>true</c> is <c>"True"</c>,
    /// <c>1e20</c> is <c>"1e+20"</c>).</summary>
    public static string Str(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Number => Dumps(value),
        _ => value.GetRawText(),
    };

    public static string Dumps(JsonElement value)
    {
        var text = new StringBuilder();
        Append(text, value);
        return text.ToString();
    }

    private static void Append(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var firstKey = true;
                foreach (var property in UniqueProperties(value))
                {
                    text.Append(firstKey ? "" : ", ");
                    firstKey = false;
                    AppendString(text, property.Name);
                    text.Append(": ");
                    Append(text, property.Value);
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    text.Append(firstItem ? "" : ", ");
                    firstItem = false;
                    Append(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                AppendString(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                text.Append(NumberText(value.GetRawText()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    /// <summary>A repeated key keeps its first position and its last value, as a Python dict built from JSON does.</summary>
    private static IEnumerable<JsonProperty> UniqueProperties(JsonElement value)
    {
        var properties = value.EnumerateObject().ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            if (seen.Add(property.Name))
            {
                yield return properties.Last(p => p.Name == property.Name);
            }
        }
    }

    private static void AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case >= ' ' and <= '~': text.Append(c); break;
                default: text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
            }
        }

        text.Append('"');
    }

    /// <summary>Integers are kept as written; any number with a fraction or exponent is a Python float.</summary>
    private static string NumberText(string raw)
    {
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            return raw.StartsWith("-0", StringComparison.Ordinal) && raw.Length == 2 ? "0" : raw;
        }

        var number = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsInfinity(number) ? (number > 0 ? "Infinity" : "-Infinity") : FloatRepr(number);
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, scientific below 1e-4 and from 1e16.</summary>
    private static string FloatRepr(double number)
    {
        var (digits, pointPosition) = Decompose(Math.Abs(number).ToString("R", CultureInfo.InvariantCulture));
        var sign = number < 0 || (number == 0 && double.IsNegative(number)) ? "-" : "";
        if (digits == "0")
        {
            return sign + "0.0";
        }

        if (pointPosition is > -4 and <= 16)
        {
            var fixedText = pointPosition <= 0
                ? "0." + new string('0', -pointPosition) + digits
                : digits.Length <= pointPosition
                    ? digits + new string('0', pointPosition - digits.Length) + ".0"
                    : digits[..pointPosition] + "." + digits[pointPosition..];
            return sign + fixedText;
        }

        var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        var exponent = pointPosition - 1;
        return string.Create(CultureInfo.InvariantCulture,
            $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}");
    }

    /// <summary>The significant digits of the round-trip text and the position of the decimal point relative to them.</summary>
    private static (string Digits, int PointPosition) Decompose(string roundTrip)
    {
        var exponentAt = roundTrip.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? roundTrip : roundTrip[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(roundTrip[(exponentAt + 1)..], CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var integerPart = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? "" : mantissa[(point + 1)..];
        var allDigits = integerPart + fraction;
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        return digits.Length == 0 ? ("0", 0) : (digits, integerPart.Length + exponent - leadingZeros);
    }
}
