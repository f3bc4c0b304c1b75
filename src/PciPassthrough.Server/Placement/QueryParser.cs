using System.Globalization;
using Microsoft.Extensions.Primitives;
using PciPassthrough.Core.PlacementApi;

namespace PciPassthrough.Server.Placement;

/// <summary>The query-string grammars Placement shares between <c>GET /resource_providers</c> and
/// <c>GET /allocation_candidates</c> (PA-8, PA-31, 08 §11).</summary>
public static class QueryParser
{
    /// <summary>PA-8: every key must be one the route knows at this microversion. The detail is worded as
    /// Placement's JSON-schema check words it (clients and tests match on it): with <paramref name="patterns"/>
    /// (a schema with pattern-named keys) "'k' does not match any of the regexes: …", else "Additional
    /// properties are not allowed ('k' was unexpected)".</summary>
    public static void CheckKeys(IQueryCollection query, Func<string, bool> known, IReadOnlyCollection<string>? patterns = null)
    {
        var unknown = query.Keys.Where(key => !known(key)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var quoted = string.Join(", ", unknown.Select(key => $"'{key}'"));
        var reason = patterns is { Count: > 0 }
            ? $"{quoted} {(unknown.Count == 1 ? "does" : "do")} not match any of the regexes: " +
              string.Join(", ", patterns.Order(StringComparer.Ordinal).Select(pattern => $"'{pattern}'"))
            : $"Additional properties are not allowed ({quoted} {(unknown.Count == 1 ? "was" : "were")} unexpected)";
        throw PlacementException.BadRequest($"Invalid query string parameters: {reason}\n\nFailed validating 'additionalProperties' in schema");
    }

    /// <summary>A key's value as Placement reads a single-valued key: the last one when repeated; null when absent.</summary>
    public static string? Last(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.Count > 0 ? values[^1] : null;

    /// <summary><c>RC:N,RC:N</c> with N ≥ 1; a class given twice keeps its last amount, as in Placement.</summary>
    public static Dictionary<string, int> Resources(string text)
    {
        const string Expected = "Badly formed resources parameter. Expected resources query string parameter in form: " +
            "?resources=VCPU:2,MEMORY_MB:1024. Got: ";
        if (text.Trim().Length == 0)
        {
            throw PlacementException.BadRequest(Expected + "empty string.");
        }

        var resources = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in text.Split(','))
        {
            var parts = item.Split(':');
            if (parts.Length != 2)
            {
                throw PlacementException.BadRequest($"{Expected}{item}.");
            }

            if (!int.TryParse(parts[1].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
            {
                throw PlacementException.BadRequest($"Requested resource {parts[0]} expected positive integer amount. Got: {parts[1]}.");
            }

            resources[parts[0]] = amount >= 1
                ? amount
                : throw PlacementException.BadRequest($"Requested resource {parts[0]} requires amount >= 1. Got: {amount}.");
        }

        return resources;
    }

    /// <summary>A value the JSON schema of the query string refuses, worded as Placement's schema check words it
    /// (the message, then which check failed on which key).</summary>
    public static PlacementException SchemaError(string message, string check, string key) => PlacementException.BadRequest(
        $"Invalid query string parameters: {message}\n\nFailed validating '{check}' in schema['properties']['{key}']");

    /// <summary>PA-31: <c>U</c>, <c>in:U1,U2</c>, ≥1.32 <c>!U</c> and <c>!in:…</c>; repeats ANDed from 1.24.</summary>
    public static AggregateFilter MemberOf(StringValues values, Microversion version, string key)
    {
        if (values.Count == 0)
        {
            return AggregateFilter.None;
        }

        if (values.Count > 1 && !version.AtLeast(24))
        {
            throw PlacementException.BadRequest($"Multiple {key} parameters are not supported before microversion 1.24");
        }

        var anyOf = new List<IReadOnlySet<string>>();
        var forbidden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            // Placement checks a value's form, then its uuids, then whether a forbidden one is allowed yet; the two
            // form messages name the key without its suffix
            var text = value ?? "";
            var negated = text.StartsWith('!');
            var listed = text[(negated ? 1 : 0)..];
            var isList = listed.StartsWith("in:", StringComparison.Ordinal);
            var items = (isList ? listed[3..] : listed).Split(',');
            if (!isList && items.Length > 1)
            {
                throw PlacementException.BadRequest(
                    $"Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion. Got: {value}");
            }

            var uuids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                uuids.Add(Body.NormalizeUuid(item) ?? throw PlacementException.BadRequest(
                    $"Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: {item}"));
            }

            if (negated && !version.AtLeast(32))
            {
                throw PlacementException.BadRequest(
                    $"Forbidden {key} parameters are not supported in the specified microversion ({key}={text} needs 1.32)");
            }

            if (negated)
            {
                forbidden.UnionWith(uuids);
            }
            else
            {
                anyOf.Add(uuids);
            }
        }

        return new AggregateFilter(anyOf, forbidden);
    }

    /// <summary><see cref="ParseRequired"/>, refused when a trait (or a whole any-of set) is also forbidden.</summary>
    public static TraitFilter Required(StringValues values, Microversion version, string key)
    {
        var filter = ParseRequired(values, version);
        var conflicts = Conflicts(filter, key).ToList();
        if (conflicts.Count > 0)
        {
            // Placement words (and codes) the request-wide root_required conflict apart from the per-group ones.
            throw key == "root_required"
                ? PlacementException.BadRequest("Conflicting required and forbidden traits found in root_required: " +
                    string.Join(", ", filter.AnyOf.Where(set => set.IsSubsetOf(filter.Forbidden)).SelectMany(set => set)
                        .Order(StringComparer.Ordinal)), ErrorCodes.BadValue)
                : ConflictError(conflicts);
        }

        return filter;
    }

    /// <summary>Placement's <c>key: (T, …)</c> for each any-of set of <paramref name="filter"/> that is all
    /// forbidden too.</summary>
    public static IEnumerable<string> Conflicts(TraitFilter filter, string key) =>
        filter.AnyOf.Where(set => set.IsSubsetOf(filter.Forbidden))
            .Select(set => $"{key}: ({string.Join(", ", set.Order(StringComparer.Ordinal))})");

    /// <summary>PA-41: the conflicts of every group in one error, sorted as Placement lists them.</summary>
    public static PlacementException ConflictError(IEnumerable<string> conflicts) => PlacementException.BadRequest(
        "Conflicting required and forbidden traits found in the following traits keys: " +
        string.Join(", ", conflicts.Order(StringComparer.Ordinal)));

    /// <summary><c>T,!F</c> (<c>!</c> from 1.22), ≥1.39 also <c>in:A,B</c> and repeats ANDed (before, the last
    /// one wins).</summary>
    public static TraitFilter ParseRequired(StringValues values, Microversion version)
    {
        if (values.Count == 0)
        {
            return TraitFilter.None;
        }

        IEnumerable<string?> used = version.AtLeast(39) ? values : [values[^1]];
        var anyOf = new List<IReadOnlySet<string>>();
        var forbidden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in used)
        {
            var text = value ?? "";
            if (text.StartsWith("in:", StringComparison.Ordinal))
            {
                anyOf.Add(AnyOf(text, version));
                continue;
            }

            // Placement names the key 'required' whichever (suffixed, root_required) it is; an empty trait is worded
            // apart from a forbidden one before 1.22.
            var items = text.Split(',').Select(item => item.Trim()).ToList();
            var allowForbidden = version.AtLeast(22);
            if (items.Any(item => item.TrimStart('!').Length == 0))
            {
                throw PlacementException.BadRequest("Invalid query string parameters: Expected 'required' parameter value of the form: " +
                    $"{(allowForbidden ? "HW_CPU_X86_VMX,!CUSTOM_MAGIC" : "HW_CPU_X86_VMX,CUSTOM_MAGIC")}. Got an empty trait in: {text}");
            }

            if (!allowForbidden && items.Any(item => item.StartsWith('!')))
            {
                throw PlacementException.BadRequest("Invalid query string parameters: Expected 'required' parameter value of the form: " +
                    $"HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: {text}");
            }

            foreach (var item in items)
            {
                if (item.StartsWith('!'))
                {
                    forbidden.Add(item.TrimStart('!'));
                }
                else
                {
                    anyOf.Add(new HashSet<string>(StringComparer.Ordinal) { item });
                }
            }
        }

        return new TraitFilter(anyOf, forbidden);
    }

    /// <summary><c>in:A,B</c> (from 1.39): one any-of set, no empty or forbidden member.</summary>
    private static HashSet<string> AnyOf(string text, Microversion version)
    {
        if (!version.AtLeast(39))
        {
            throw PlacementException.BadRequest("Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' " +
                $"only supported since microversion 1.39. Got: {text}");
        }

        var set = text[3..].Split(',').Select(trait => trait.Trim()).ToHashSet(StringComparer.Ordinal);
        if (set.Contains(""))
        {
            throw PlacementException.BadRequest("Invalid query string parameters: Expected 'required' parameter value of the form: " +
                $"in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: {text}");
        }

        return set.Any(trait => trait.StartsWith('!'))
            ? throw PlacementException.BadRequest("Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' " +
                $"does not support forbidden traits. Got: {text}")
            : set;
    }
}
