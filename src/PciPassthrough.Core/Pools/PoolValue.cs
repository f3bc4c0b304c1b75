using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Pools;

/// <summary>
/// One value of a pool's identity map (04 PL-1): a device field, a default, or a <c>device_spec</c> tag — raw JSON
/// under Zed, where a tag may be a boolean or a number. Equality is Python's <c>==</c>, which Nova uses to find a
/// device's pool (PL-3): numbers compare by value and <c>true == 1</c>.
/// </summary>
public readonly struct PoolValue : IEquatable<PoolValue>
{
    private readonly string? _text;
    private readonly string? _lower;
    private readonly double _number;
    private readonly JsonNode? _node;

    private PoolValue(PoolValueKind kind, string? text, double number, JsonNode? node)
    {
        Kind = kind;
        _text = text;
        _lower = kind == PoolValueKind.String ? text!.ToLowerInvariant() : null;
        _number = number;
        _node = node;
    }

    public static PoolValue Null => default;

    public PoolValueKind Kind { get; }

    public bool IsNull => Kind == PoolValueKind.Null;

    /// <summary>The text of a string value; null for any other kind.</summary>
    public string? AsString => Kind == PoolValueKind.String ? _text : null;

    /// <summary>The lower-cased text of a string value, as request matching compares it (PL-9).</summary>
    internal string? Lowered => _lower;

    public static PoolValue Of(string? text) =>
        text is null ? default : new PoolValue(PoolValueKind.String, text, 0, null);

    /// <summary>A device's <c>numa_node</c>: a Python int, past 64 bits too (scenario-format §2.7 bounds no integer).</summary>
    public static PoolValue Of(Int128? number) =>
        number is { } n ? new PoolValue(PoolValueKind.Integer, n.ToString(CultureInfo.InvariantCulture), (double)n, null) : default;

    /// <summary>A raw JSON tag value.</summary>
    public static PoolValue FromJson(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return node is null ? default : new PoolValue(PoolValueKind.Structured, null, 0, node.DeepClone());
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return Of(value.GetValue<string>());
            case JsonValueKind.True or JsonValueKind.False:
                var flag = value.GetValue<bool>();
                return new PoolValue(PoolValueKind.Boolean, flag ? "True" : "False", flag ? 1 : 0, null);
            case JsonValueKind.Number:
                var raw = value.ToJsonString();
                var number = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                return raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && long.TryParse(raw, CultureInfo.InvariantCulture, out var whole)
                    ? new PoolValue(PoolValueKind.Integer, whole.ToString(CultureInfo.InvariantCulture), whole, null)
                    : new PoolValue(PoolValueKind.Float, raw, number, null);
            default:
                return default;
        }
    }

    /// <summary>Python's <c>==</c> between two identity values.</summary>
    public bool Equals(PoolValue other) => (Kind, other.Kind) switch
    {
        (PoolValueKind.Null, PoolValueKind.Null) => true,
        (PoolValueKind.String, PoolValueKind.String) => string.Equals(_text, other._text, StringComparison.Ordinal),
        (PoolValueKind.Structured, PoolValueKind.Structured) => JsonNode.DeepEquals(_node, other._node),
        _ => IsNumeric && other.IsNumeric && _number.Equals(other._number),
    };

    public override bool Equals(object? obj) => obj is PoolValue other && Equals(other);

    /// <summary>The same kind and the same value, unlike Python's <c>==</c> (where <c>1 == True</c>).</summary>
    internal bool IsIdenticalTo(PoolValue other) =>
        Kind == other.Kind && _number.Equals(other._number) && string.Equals(_text, other._text, StringComparison.Ordinal)
        && JsonNode.DeepEquals(_node, other._node);

    public override int GetHashCode() => Kind switch
    {
        PoolValueKind.String => StringComparer.Ordinal.GetHashCode(_text!),
        PoolValueKind.Structured => (int)Kind,
        _ => _number.GetHashCode(),
    };

    public static bool operator ==(PoolValue left, PoolValue right) => left.Equals(right);

    public static bool operator !=(PoolValue left, PoolValue right) => !left.Equals(right);

    /// <summary>Whether the value equals the host NUMA cell id <paramref name="cellId"/> (Python <c>==</c>).</summary>
    internal bool EqualsCell(int cellId) => IsNumeric && _number.Equals(cellId);

    /// <summary>
    /// Nova's lenient boolean (<c>strutils.bool_from_string</c>): a JSON boolean is itself; anything else is read as its
    /// Python text, true only for the true words (04 PL-11 step 5).
    /// </summary>
    internal bool IsTrue() => Kind switch
    {
        PoolValueKind.Boolean => _number != 0,
        PoolValueKind.String or PoolValueKind.Integer => NovaBoolean.ParseLenient(_text),
        _ => false,
    };

    /// <summary>
    /// The text the scheduler sees (scenario-format SIM-35, 04 PL-7): Python's <c>str()</c> of the value — <c>True</c>
    /// for a JSON <c>true</c>, digits for a number — or null.
    /// </summary>
    /// <exception cref="PciException"><c>ValueError</c> for a list or an object, which a pool tag cannot hold.</exception>
    internal PoolValue ToSchedulerText(string key) => Kind switch
    {
        PoolValueKind.Null or PoolValueKind.String => this,
        PoolValueKind.Float => Of(PythonFloatText(_number)),
        PoolValueKind.Structured => throw new PciException(PciErrorKinds.ValueError,
            $"device_spec tag '{key}' is {_node!.ToJsonString()}: a pool tag must be a string, a number or a boolean.",
            novaException: false),
        _ => Of(_text),
    };

    /// <summary>
    /// The pool's <c>numa_node</c> as the scheduler's pool object holds it: an integer field, so a <c>numa_node</c> tag
    /// that replaced the device's is read with Python's <c>int()</c> (<c>"1"</c> is 1, <c>1.5</c> is 1), while the
    /// compute keeps comparing the raw value.
    /// </summary>
    /// <exception cref="PciException"><c>ValueError</c> for text that is no integer, <c>TypeError</c> for a list or an
    /// object, <c>OverflowError</c> for an infinite number.</exception>
    internal PoolValue ToSchedulerInteger() => Kind switch
    {
        PoolValueKind.Null or PoolValueKind.Integer => this,
        PoolValueKind.Boolean => Integer(new BigInteger(_number)),
        PoolValueKind.Float when double.IsInfinity(_number) => throw new PciException(PciErrorKinds.OverflowError,
            "cannot convert float infinity to integer (device_spec tag 'numa_node')", novaException: false),
        PoolValueKind.Float => Integer(new BigInteger(Math.Truncate(_number))),
        PoolValueKind.String => IntegerText.TryParse(_text, out BigInteger value) ? Integer(value)
            : throw new PciException(PciErrorKinds.ValueError,
                $"invalid literal for int() with base 10: '{_text}' (device_spec tag 'numa_node')", novaException: false),
        _ => throw new PciException(PciErrorKinds.TypeError,
            $"int() argument must be a string, a bytes-like object or a real number, not {_node!.ToJsonString()} " +
            "(device_spec tag 'numa_node')", novaException: false),
    };

    /// <summary>The value as JSON, as the pool report shows it (raw tag values).</summary>
    public JsonNode? ToJson() => Kind switch
    {
        PoolValueKind.Null => null,
        PoolValueKind.String => JsonValue.Create(_text),
        PoolValueKind.Boolean => JsonValue.Create(_number != 0),
        // the text, as the number is a double, inexact past 2^53
        PoolValueKind.Integer => JsonNode.Parse(_text!),
        PoolValueKind.Float => JsonNode.Parse(_text!),
        _ => _node!.DeepClone(),
    };

    public override string ToString() => Kind switch
    {
        PoolValueKind.Null => "null",
        PoolValueKind.String => $"\"{_text}\"",
        PoolValueKind.Structured => _node!.ToJsonString(),
        _ => _text!,
    };

    private static PoolValue Integer(BigInteger value) =>
        new(PoolValueKind.Integer, value.ToString(CultureInfo.InvariantCulture), (double)value, null);

    private bool IsNumeric => Kind is PoolValueKind.Integer or PoolValueKind.Float or PoolValueKind.Boolean;

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, fixed notation from 1e-4 to below 1e16.</summary>
    private static string PythonFloatText(double number)
    {
        var sign = double.IsNegative(number) ? "-" : "";
        if (number == 0)
        {
            return sign + "0.0";
        }

        // .NET's "R" gives the shortest round-trip digits; only the layout differs from Python's
        var text = Math.Abs(number).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? dot : mantissa.Length;
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var significant = digits.TrimStart('0');
        point -= digits.Length - significant.Length;
        digits = significant.TrimEnd('0');
        point += exponentAt < 0 ? 0 : int.Parse(text.AsSpan(exponentAt + 1), CultureInfo.InvariantCulture);
        var exponent = point - 1;
        if (exponent is >= -4 and < 16)
        {
            return sign + (point <= 0 ? "0." + new string('0', -point) + digits
                : point >= digits.Length ? digits + new string('0', point - digits.Length) + ".0"
                : digits[..point] + "." + digits[point..]);
        }

        var fraction = digits.Length > 1 ? "." + digits[1..] : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{sign}{digits[0]}{fraction}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}");
    }
}

/// <summary>What a <see cref="PoolValue"/> holds.</summary>
public enum PoolValueKind
{
    Null,
    String,
    Integer,
    Float,
    Boolean,

    /// <summary>A JSON list or object (a Zed tag; the scheduler view refuses it, SIM-20 stage <c>pools</c>).</summary>
    Structured,
}
