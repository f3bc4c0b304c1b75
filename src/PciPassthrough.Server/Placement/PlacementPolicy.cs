using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PciPassthrough.Server.Placement;

/// <summary>A policy file that cannot be used; the message names the file, the rule and the problem.</summary>
public sealed class PolicyFileException(string message) : Exception(message);

/// <summary>
/// PA-4 authorisation: Placement's policy rules (<c>placement:resource_providers:list</c>, …) with their default
/// check strings, optionally overridden by an operator's oslo.policy file (YAML or JSON, <c>"rule": "check"</c>).
/// Like oslo.policy: with <see cref="PlacementServerOptions.EnforceNewDefaults"/> off, a base rule not overridden
/// also passes for its deprecated default (role:admin), so an admin may still reshape; with
/// <see cref="PlacementServerOptions.EnforceScope"/> on, a system-scoped token is refused by every Placement rule
/// (they are all project-scoped).
/// </summary>
public sealed partial class PlacementPolicy
{
    private sealed record Default(string Name, string Check, string? Deprecated = null, string? Route = null);

    private const string AdminOrService = "rule:admin_or_service_api", LegacyAdmin = "role:admin", TotalUsages = "placement:usages";

    private static readonly Default[] _defaults =
    [
        new("admin_api", "role:admin"),
        new("service_api", "role:service", LegacyAdmin),
        new("admin_or_service_api", "role:admin or role:service", LegacyAdmin),
        new("project_reader_api", "role:reader and project_id:%(project_id)s", LegacyAdmin),
        new("admin_or_project_reader_or_service_api", "role:admin or rule:project_reader_api or role:service", LegacyAdmin),
        .. Api("resource_providers", "/resource_providers", "/resource_providers/{}"),
        .. Api("resource_classes", "/resource_classes", "/resource_classes/{}"),
        .. Api("resource_providers:inventories", "/resource_providers/{}/inventories", "/resource_providers/{}/inventories/{}"),
        new("placement:resource_providers:inventories:update", AdminOrService, Route: "PUT /resource_providers/{}/inventories"),
        new("placement:resource_providers:inventories:delete", AdminOrService, Route: "DELETE /resource_providers/{}/inventories"),
        new("placement:resource_providers:aggregates:list", AdminOrService, Route: "GET /resource_providers/{}/aggregates"),
        new("placement:resource_providers:aggregates:update", AdminOrService, Route: "PUT /resource_providers/{}/aggregates"),
        new("placement:resource_providers:usages", AdminOrService, Route: "GET /resource_providers/{}/usages"),
        new(TotalUsages, "rule:admin_or_project_reader_or_service_api", Route: "GET /usages"),
        new("placement:traits:list", AdminOrService, Route: "GET /traits"),
        new("placement:traits:show", AdminOrService, Route: "GET /traits/{}"),
        new("placement:traits:update", AdminOrService, Route: "PUT /traits/{}"),
        new("placement:traits:delete", AdminOrService, Route: "DELETE /traits/{}"),
        new("placement:resource_providers:traits:list", AdminOrService, Route: "GET /resource_providers/{}/traits"),
        new("placement:resource_providers:traits:update", AdminOrService, Route: "PUT /resource_providers/{}/traits"),
        new("placement:resource_providers:traits:delete", AdminOrService, Route: "DELETE /resource_providers/{}/traits"),
        new("placement:allocations:manage", AdminOrService, Route: "POST /allocations"),
        new("placement:allocations:list", AdminOrService, Route: "GET /allocations/{}"),
        new("placement:allocations:update", AdminOrService, Route: "PUT /allocations/{}"),
        new("placement:allocations:delete", AdminOrService, Route: "DELETE /allocations/{}"),
        new("placement:resource_providers:allocations:list", AdminOrService, Route: "GET /resource_providers/{}/allocations"),
        new("placement:allocation_candidates:list", AdminOrService, Route: "GET /allocation_candidates"),
        new("placement:reshaper:reshape", "rule:service_api", Route: "POST /reshaper"),
    ];

    /// <summary>The five rules of a collection and its items (list, create, show, update, delete).</summary>
    private static Default[] Api(string resource, string collection, string item) =>
    [
        new($"placement:{resource}:list", AdminOrService, Route: $"GET {collection}"),
        new($"placement:{resource}:create", AdminOrService, Route: $"POST {collection}"),
        new($"placement:{resource}:show", AdminOrService, Route: $"GET {item}"),
        new($"placement:{resource}:update", AdminOrService, Route: $"PUT {item}"),
        new($"placement:{resource}:delete", AdminOrService, Route: $"DELETE {item}"),
    ];

    private static readonly Dictionary<string, string> _ruleByRoute =
        _defaults.Where(d => d.Route is not null).ToDictionary(d => d.Route!, d => d.Name, StringComparer.Ordinal);

    private readonly Dictionary<string, PolicyCheck> _rules;
    private readonly bool _enforceScope;

    private PlacementPolicy(Dictionary<string, PolicyCheck> rules, bool enforceScope) =>
        (_rules, _enforceScope) = (rules, enforceScope);

    /// <summary>The effective rules for <paramref name="options"/>; a <see cref="PolicyFileException"/> if its
    /// policy file cannot be read, is not a mapping of rule names to check strings, has a check that does not
    /// parse, refers to a rule that does not exist, or makes rules refer to each other in a loop.</summary>
    public static PlacementPolicy Load(PlacementServerOptions options)
    {
        var file = options.PolicyFile is { } path ? ReadFile(path) : new Dictionary<string, PolicyCheck>();
        var rules = new Dictionary<string, PolicyCheck>(StringComparer.Ordinal);
        foreach (var rule in _defaults)
        {
            rules[rule.Name] = file.Remove(rule.Name, out var overridden) ? overridden
                : rule.Deprecated is { } deprecated && !options.EnforceNewDefaults
                    ? PolicyCheck.Parse($"({rule.Check}) or ({deprecated})")
                    : PolicyCheck.Parse(rule.Check);
        }

        foreach (var (name, check) in file)
        {
            rules[name] = check;
        }

        var where = options.PolicyFile is { } source ? $"policy file {source}" : "default policy";
        foreach (var (name, check) in rules)
        {
            if (check.References.FirstOrDefault(r => !rules.ContainsKey(r)) is { } missing)
            {
                throw new PolicyFileException($"{where}: rule '{name}': refers to rule '{missing}', which is not defined");
            }
        }

        CheckForLoops(rules, where);
        return new PlacementPolicy(rules, options.EnforceScope);
    }

    /// <summary>The rule guarding a Placement route (its pattern below the mount point), or null for the version
    /// document and for a route without one.</summary>
    public static string? RuleFor(string method, string routePattern) =>
        _ruleByRoute.GetValueOrDefault($"{method} {RouteParameter().Replace(routePattern, "{}")}");

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();

    /// <summary>Whether <paramref name="identity"/> may do what <paramref name="rule"/> guards in
    /// <paramref name="request"/>. The object acted on is the caller's own project and user, except for
    /// <c>GET /usages</c>: the project it asks about.</summary>
    public bool Allows(string rule, PlacementIdentity identity, HttpRequest request)
    {
        if (_enforceScope && identity.SystemScoped)
        {
            return false;
        }

        var context = new PolicyContext(
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["user_id"] = identity.User,
                ["project_id"] = identity.Project,
                ["system_scope"] = identity.SystemScoped ? "all" : null,
                ["roles"] = identity.Roles,
            },
            rule == TotalUsages
                ? new Dictionary<string, string?> { ["project_id"] = request.Query["project_id"].FirstOrDefault() }
                : new Dictionary<string, string?> { ["project_id"] = identity.Project, ["user_id"] = identity.User },
            Evaluate);
        return Evaluate(rule, context);
    }

    private bool Evaluate(string rule, PolicyContext context) => _rules.TryGetValue(rule, out var check) && check.Allows(context);

    private static Dictionary<string, PolicyCheck> ReadFile(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = File.OpenText(path);
            stream.Load(reader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyFileException($"policy file {path}: cannot read it: {e.Message}");
        }
        catch (YamlException e)
        {
            throw new PolicyFileException($"policy file {path}: line {e.Start.Line}: not YAML or JSON: {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's loader stops on some malformed documents with these instead of a YamlException
            throw new PolicyFileException($"policy file {path}: not YAML or JSON: {e.Message}");
        }

        var rules = new Dictionary<string, PolicyCheck>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return rules;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new PolicyFileException($"policy file {path}: not a mapping of rule names to check strings");
        }

        foreach (var (key, value) in mapping)
        {
            var name = (key as YamlScalarNode)?.Value
                ?? throw new PolicyFileException($"policy file {path}: line {key.Start.Line}: a rule name must be a string");
            try
            {
                rules[name] = PolicyCheck.Parse(CheckString(value));
            }
            catch (FormatException e)
            {
                throw new PolicyFileException($"policy file {path}: rule '{name}' (line {value.Start.Line}): {e.Message}");
            }
        }

        return rules;
    }

    /// <summary>A rule's check string; oslo.policy's old list form (a list of lists of checks: any of the lists,
    /// all of each list's checks) becomes the equivalent string.</summary>
    private static string CheckString(YamlNode value) => value switch
    {
        YamlScalarNode scalar => scalar.Value ?? "",
        YamlSequenceNode { Children.Count: 0 } => "@",
        YamlSequenceNode alternatives => string.Join(" or ", alternatives.Select(alternative =>
            alternative is YamlSequenceNode checks && checks.All(c => c is YamlScalarNode)
                ? $"({string.Join(" and ", checks.Select(c => ((YamlScalarNode)c).Value))})"
                : throw new FormatException("a list-form rule must be a list of lists of checks"))),
        _ => throw new FormatException("a rule must be a check string"),
    };

    private static void CheckForLoops(Dictionary<string, PolicyCheck> rules, string where)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in rules.Keys)
        {
            Visit(name, []);
        }

        void Visit(string name, List<string> path)
        {
            if (path.Contains(name))
            {
                throw new PolicyFileException(
                    $"{where}: rule '{name}': refers to itself through {string.Join(" -> ", path.SkipWhile(p => p != name).Append(name))}");
            }

            if (!done.Add(name))
            {
                return;
            }

            path.Add(name);
            foreach (var reference in rules[name].References)
            {
                Visit(reference, path);
            }

            path.RemoveAt(path.Count - 1);
        }
    }
}
