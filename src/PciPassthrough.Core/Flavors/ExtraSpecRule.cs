using System.Globalization;
using System.Text.RegularExpressions;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// One known extra spec of the flavor API (SIM-30): the key as Nova documents it (<c>hw:numa_cpus.{num}</c>),
/// which keys it covers, and the rule its value must follow.
/// </summary>
internal sealed class ExtraSpecRule
{
    private readonly Func<string, string?> _checkValue;

    private ExtraSpecRule(string template, Func<string, bool>? matchesKey, Func<string, string?> checkValue)
    {
        Template = template;
        MatchesKey = matchesKey;
        _checkValue = checkValue;
    }

    /// <summary>The documented key, placeholders in braces.</summary>
    public string Template { get; }

    /// <summary>For a key with placeholders, which keys it covers; null when the key is exactly <see cref="Template"/>.</summary>
    public Func<string, bool>? MatchesKey { get; }

    /// <summary>The text before the first <c>:</c> of the template (or the whole template).</summary>
    public string Namespace => Template.Split(':', 2)[0];

    /// <summary>What is wrong with <paramref name="value"/>, or null when it is valid.</summary>
    public string? CheckValue(string value) => _checkValue(value);

    public ExtraSpecRule For(string template, Func<string, bool> matchesKey) => new(template, matchesKey, _checkValue);

    public static ExtraSpecRule Text(string template) => new(template, null, _ => null);

    /// <summary>A value matching <paramref name="regex"/>, the backtracking-safe form of Nova's <paramref name="pattern"/>
    /// (whose <c>\d</c> also matches digits outside the BMP).</summary>
    public static ExtraSpecRule Pattern(string template, string pattern, Regex regex)
    {
        var unicodeDigits = pattern.Contains(@"\d", StringComparison.Ordinal);
        return new(template, null, value => regex.IsMatch(unicodeDigits ? PythonText.WithBmpDigits(value) : value)
            ? null
            : $"'{value}' is not of the format '{pattern}'");
    }

    public static ExtraSpecRule Enum(string template, params string[] values) =>
        new(template, null,
            value => values.Contains(value, StringComparer.Ordinal) ? null : $"'{value}' is not one of: {string.Join(", ", values)}");

    public static ExtraSpecRule Integer(string template, long? min = null, long? max = null) =>
        new(template, null, value =>
        {
            if (!PythonText.TryParseInt(value, out var number))
            {
                return $"'{value}' is not a valid integer value";
            }

            return number < min ? $"'{Show(number)}' is less than the min value of '{Show(min.Value)}'"
                : number > max ? $"'{Show(number)}' is greater than the max value of '{Show(max.Value)}'"
                : null;
        });

    public static ExtraSpecRule Boolean(string template) =>
        new(template, null, value => PythonText.ParseStrictBool(value) is null
            ? $"'{value}' is not a valid boolean-like value (one of {PythonText.BoolWords}, any case)"
            : null);

    private static string Show(long number) => number.ToString(CultureInfo.InvariantCulture);
}
