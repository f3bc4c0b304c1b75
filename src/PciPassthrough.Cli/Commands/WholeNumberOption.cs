using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// Integer options whose wrong value is a usage error naming the option, the value and the valid range. The parser's
/// own message names a .NET type instead, and a validator that reads a value which did not parse throws.
/// </summary>
internal static class WholeNumberOption
{
    public static Option<int> Create(string name, string description, int minimum, int maximum = int.MaxValue,
        bool required = false) => new(name)
        {
            Description = description,
            Required = required,
            HelpName = "N",
            CustomParser = result => Parse(result, name, minimum, maximum),
        };

    /// <summary>The same, for an option whose absence means something (no default value).</summary>
    public static Option<int?> Optional(string name, string description, int minimum, int maximum = int.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => Parse(result, name, minimum, maximum),
    };

    private static int Parse(ArgumentResult result, string name, int minimum, int maximum)
    {
        var text = result.Tokens is [.., var last] ? last.Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= minimum && value <= maximum)
        {
            return value;
        }

        var range = maximum == int.MaxValue ? $"at least {minimum}" : $"from {minimum} to {maximum}";
        result.AddError($"{name} '{text}': expected a whole number {range}, e.g. {name} {Math.Max(minimum, 1)}.");
        return minimum;
    }
}
