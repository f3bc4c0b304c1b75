using System.Text.RegularExpressions;
using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// Validates flavor extra specs as Nova's flavor API does (SIM-30): a known key must carry a valid value; an
/// unknown key is rejected when its namespace is one Nova owns, and accepted otherwise.
/// </summary>
public static class ExtraSpecValidator
{
    private static readonly Dictionary<string, ExtraSpecRule[]> _rulesByNamespace = ExtraSpecCatalog.Rules
        .GroupBy(rule => rule.Namespace.Contains('{') ? GroupedNamespace(rule.Namespace) : rule.Namespace, StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);

    private static readonly Regex[] _namespaces = [.. ExtraSpecCatalog.Namespaces.Select(pattern =>
        new Regex($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking))];

    /// <summary>
    /// Nova first looks a key up by its documented name: <c>resources{group}:VCPU</c> written literally then fails
    /// the name pattern, although its namespace text is none Nova owns.
    /// </summary>
    private static readonly HashSet<string> _literalTemplates =
    [
        .. PlacementNames.ResourceClasses.Select(name => "resources{group}:" + name),
        "resources{group}:CUSTOM_{resource}",
        .. PlacementNames.Traits.Select(name => "trait{group}:" + name),
        "trait{group}:CUSTOM_{trait}",
    ];

    /// <summary>Every rejected key, in ascending ordinal key order.</summary>
    public static IReadOnlyList<ExtraSpecRejection> ValidateAll(IReadOnlyDictionary<string, string> extraSpecs)
    {
        ArgumentNullException.ThrowIfNull(extraSpecs);
        return [.. extraSpecs.OrderBy(spec => spec.Key, StringComparer.Ordinal)
            .Select(spec => Validate(spec.Key, spec.Value) is { } error ? new ExtraSpecRejection(spec.Key, error) : null)
            .OfType<ExtraSpecRejection>()];
    }

    /// <summary>The <c>ValidationError</c> for one extra spec, or null when the flavor API accepts it.</summary>
    public static PciError? Validate(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_literalTemplates.Contains(key))
        {
            return Rejected($"extra spec '{key}' is a documented name pattern, not a key: replace the placeholders");
        }

        var nameSpace = key.Split(':', 2)[0];
        var candidates = _rulesByNamespace.GetValueOrDefault(key.Contains(':') ? GroupedNamespace(nameSpace) : key, []);
        if (candidates.FirstOrDefault(rule => rule.Matches(key)) is { } known)
        {
            return known.CheckValue(value) is { } problem
                ? Rejected($"extra spec '{key}': {problem} (see '{known.Template}')")
                : null;
        }

        return key.Contains(':') && _namespaces.Any(pattern => pattern.IsMatch(nameSpace))
            ? Rejected($"extra spec '{key}' is not a known key of the '{nameSpace}' namespace")
            : null;
    }

    /// <summary><c>resources1</c> and <c>trait_gpu</c> share the rules of <c>resources</c> and <c>trait</c>.</summary>
    private static string GroupedNamespace(string nameSpace) =>
        nameSpace.StartsWith("resources", StringComparison.Ordinal) ? "resources"
        : nameSpace.StartsWith("trait", StringComparison.Ordinal) ? "trait"
        : nameSpace;

    private static PciError Rejected(string message) => new(FlavorErrorKinds.ValidationError, message);
}
