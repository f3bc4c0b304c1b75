using System.Globalization;
using System.Text.RegularExpressions;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// One known extra spec of the flavor API (SIM-30): the key as Nova documents it (<c>hw:numa_cpus.{num}</c>),
/// the regex a key must fully match, and the rule its value must follow.
/// </summary>
internal sealed class ExtraSpecRule
{
    private readonly Regex _name;
    private readonly Func<string, string?> _checkValue;

    private ExtraSpecRule(string template, string nameRegex, Func<string, string?> checkValue)
    {
        Template = template;
        _name = new Regex($@"\A(?:{nameRegex})\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        _checkValue = checkValue;
    }

    /// <summary>The documented key, placeholders in braces.</summary>
    public string Template { get; }

    /// <summary>The text before the first <c>:</c> of the template (or the whole template).</summary>
    public string Namespace => Template.Split(':', 2)[0];

    public bool Matches(string key) => _name.IsMatch(key);

    /// <summary>What is wrong with <paramref name="value"/>, or null when it is valid.</summary>
    public string? CheckValue(string value) => _checkValue(value);

    public static ExtraSpecRule Text(string template, string? nameRegex = null) =>
        new(template, nameRegex ?? Regex.Escape(template), _ => null);

    public static ExtraSpecRule Pattern(string template, string pattern, string? nameRegex = null)
    {
        // Python's \s also matches the separators 0x1C-0x1F; its \d is any decimal digit, as .NET's is.
        var regex = new Regex($@"\A(?:{pattern.Replace(@"\s", @"[\s\x1c-\x1f]", StringComparison.Ordinal)})\z",
            RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        return new(template, nameRegex ?? Regex.Escape(template),
            value => regex.IsMatch(value) ? null : $"'{value}' is not of the format '{pattern}'");
    }

    public static ExtraSpecRule Enum(string template, params string[] values) =>
        EnumNamed(template, Regex.Escape(template), values);

    public static ExtraSpecRule EnumNamed(string template, string nameRegex, params string[] values) =>
        new(template, nameRegex,
            value => values.Contains(value, StringComparer.Ordinal) ? null : $"'{value}' is not one of: {string.Join(", ", values)}");

    public static ExtraSpecRule Integer(string template, long? min = null, long? max = null, string? nameRegex = null) =>
        new(template, nameRegex ?? Regex.Escape(template), value =>
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
        new(template, Regex.Escape(template), value => PythonText.ParseStrictBool(value) is null
            ? $"'{value}' is not a valid boolean-like value (one of {PythonText.BoolWords}, any case)"
            : null);

    private static string Show(long number) => number.ToString(CultureInfo.InvariantCulture);
}
