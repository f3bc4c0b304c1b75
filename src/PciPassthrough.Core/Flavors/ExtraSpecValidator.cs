using PciPassthrough.Core.Errors;

namespace PciPassthrough.Core.Flavors;

/// <summary>
/// Validates flavor extra specs as Nova's flavor API does (SIM-30): a known key must carry a valid value; an
/// unknown key is rejected when its namespace is one Nova owns, and accepted otherwise.
/// </summary>
public static class ExtraSpecValidator
{
    private static readonly Dictionary<string, ExtraSpecRule> _exactRules = ExtraSpecCatalog.Rules
        .Where(rule => rule.MatchesKey is null)
        .ToDictionary(rule => rule.Template, StringComparer.Ordinal);

    private static readonly Dictionary<string, ExtraSpecRule[]> _patternRulesByNamespace = ExtraSpecCatalog.Rules
        .Where(rule => rule.MatchesKey is not null)
        .GroupBy(rule => rule.Namespace.Replace("{group}", "", StringComparison.Ordinal), StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);

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
        return [.. extraSpecs.OrderBy(spec => spec.Key, CodePointComparer.Instance)
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

        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var nameSpace = colon < 0 ? null : key[..colon];
        var known = _exactRules.GetValueOrDefault(key) ?? (nameSpace is null ? null
            : _patternRulesByNamespace.GetValueOrDefault(Family(nameSpace))?.FirstOrDefault(rule => rule.MatchesKey!(key)));
        if (known is not null)
        {
            return known.CheckValue(value) is { } problem
                ? Rejected($"extra spec '{key}': {problem} (see '{known.Template}')")
                : null;
        }

        return nameSpace is not null && ExtraSpecCatalog.Namespaces.Contains(Family(nameSpace))
            ? Rejected($"extra spec '{key}' is not a known key of the '{nameSpace}' namespace")
            : null;
    }

    /// <summary><c>resources1</c> and <c>trait_gpu</c> belong to <c>resources</c> and <c>trait</c>.</summary>
    private static string Family(string nameSpace) =>
        ExtraSpecCatalog.IsGroupedNamespace(nameSpace, "resources") ? "resources"
        : ExtraSpecCatalog.IsGroupedNamespace(nameSpace, "trait") ? "trait"
        : nameSpace;

    private static PciError Rejected(string message) => new(FlavorErrorKinds.ValidationError, message);
}
