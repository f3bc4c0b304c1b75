using System.Net;

namespace PciPassthrough.Server.Placement;

/// <summary>Who a token stands for (PA-4): its user and project (either may be unknown), its roles, and whether it
/// is system-scoped. What it may do is <see cref="PlacementPolicy"/>'s business.</summary>
public sealed record PlacementIdentity(string? Project, IReadOnlySet<string> Roles, bool SystemScoped = false, string? User = null);

/// <summary>
/// PA-4 authentication. Configured tokens (<c>pcictl serve --auth-token TOKEN[:ROLE,…][@PROJECT]</c>, roles
/// default to admin) are the only ones accepted, from anywhere. Without any, Placement's <c>noauth2</c> test mode
/// serves loopback clients only: <c>x-auth-token: user[:project]</c>, user <c>admin</c> has role admin,
/// <c>x-roles</c> and <c>x-project-id</c> override, <c>openstack-system-scope</c> makes the token system-scoped.
/// </summary>
public sealed class PlacementCredentials
{
    public const string RolesHeader = "x-roles", ProjectHeader = "x-project-id", SystemScopeHeader = "openstack-system-scope";

    private readonly Dictionary<string, PlacementIdentity> _configured = new(StringComparer.Ordinal);

    public PlacementCredentials(IEnumerable<string> tokens)
    {
        foreach (var spec in tokens)
        {
            var (tokenAndRoles, project) = Split(spec, '@', fromEnd: true);
            var (token, roles) = Split(tokenAndRoles, ':', fromEnd: false);
            var roleSet = roles is null ? ["admin"] : roles.Split(',').ToHashSet(StringComparer.Ordinal);
            if (token.Length == 0 || roleSet.Contains("") || project is "")
            {
                throw new ArgumentException(
                    $"--auth-token '{spec}' is not TOKEN[:ROLE,…][@PROJECT] with a non-empty token, roles and project.", nameof(tokens));
            }

            _configured[token] = new PlacementIdentity(project, roleSet);
        }
    }

    /// <summary>The caller's identity, or null when the request carries no acceptable token (401).</summary>
    public PlacementIdentity? Identify(HttpContext http)
    {
        var token = http.Request.Headers[PlacementMiddleware.AuthTokenHeader].ToString();
        if (_configured.Count > 0)
        {
            return _configured.GetValueOrDefault(token);
        }

        if (token.Length == 0 || http.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            return null;
        }

        var (user, project) = Split(token, ':', fromEnd: false);
        var headers = http.Request.Headers;
        IReadOnlySet<string> roles = headers.TryGetValue(RolesHeader, out var listed)
            ? listed.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
            : user == "admin" ? new HashSet<string>(StringComparer.Ordinal) { "admin" } : new HashSet<string>();
        var projectHeader = headers[ProjectHeader].ToString();
        var systemScoped = headers[SystemScopeHeader].ToString().Length > 0;
        // as Placement's noauth2: a system-scoped token is in no project unless one is named explicitly
        return new PlacementIdentity(projectHeader.Length > 0 ? projectHeader : systemScoped ? null : project ?? user, roles,
            systemScoped, user);
    }

    private static (string Head, string? Tail) Split(string text, char separator, bool fromEnd)
    {
        var at = fromEnd ? text.LastIndexOf(separator) : text.IndexOf(separator, StringComparison.Ordinal);
        return at < 0 ? (text, null) : (text[..at], text[(at + 1)..]);
    }
}
