using System.Text.RegularExpressions;

namespace PciPassthrough.Host.NovaConf;

/// <summary>
/// oslo.config substitutes <c>$name</c>, <c>${name}</c> and <c>$group.name</c> in every value it hands to Nova
/// with the value of that option; <c>$$</c> and <c>\$</c> stand for a literal <c>$</c>. A <c>$</c> not followed
/// by a name (<c>"0a$"</c>, a regex end anchor) is kept as written.
/// </summary>
internal static partial class OsloTemplate
{
    /// <param name="value">The raw value.</param>
    /// <param name="resolve">The value of a referenced option, or null to keep the reference as written.</param>
    public static string Substitute(string value, Func<string, string?> resolve) =>
        Placeholder().Replace(value.Replace(@"\$", "$$", StringComparison.Ordinal), match =>
        {
            if (match.Groups["escaped"].Success)
            {
                return "$";
            }

            var name = match.Groups["named"].Success ? match.Groups["named"].Value
                : match.Groups["braced"].Success ? match.Groups["braced"].Value
                : null;
            return name is null ? match.Value : resolve(name) ?? match.Value;
        });

    /// <summary>Python's <c>string.Template</c> pattern with oslo's identifier, case-insensitive as Python compiles it.</summary>
    [GeneratedRegex(@"\$(?:(?<escaped>\$)|(?<named>[_a-z][._a-z0-9]*)|\{(?<braced>[_a-z][._a-z0-9]*)\}|(?<invalid>))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
