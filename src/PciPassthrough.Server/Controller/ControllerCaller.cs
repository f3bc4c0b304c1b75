using PciPassthrough.Server.Placement;

namespace PciPassthrough.Server.Controller;

/// <summary>Who calls the REST API: the project it acts in and what it may do. <c>admin</c> and <c>service</c> may do
/// everything; <c>member</c> changes its own project's ports and servers; any other role only reads them.</summary>
public sealed record ControllerCaller(string Project, bool IsAdmin, bool IsMember)
{
    /// <summary>The project of a configured token given without <c>@PROJECT</c>.</summary>
    public const string DefaultProject = "admin";

    private static readonly object _key = new();

    /// <summary>The same tokens as Placement (<see cref="PlacementCredentials"/>). In noauth mode a token with no role
    /// (any user but <c>admin</c>) is a member of its own project, so a demo needs no set-up.</summary>
    public static ControllerCaller From(PlacementIdentity identity)
    {
        var admin = identity.Roles.Contains("admin") || identity.Roles.Contains("service");
        return new ControllerCaller(identity.Project ?? DefaultProject, admin,
            admin || identity.Roles.Contains("member") || identity.Roles.Count == 0);
    }

    public static ControllerCaller Of(HttpContext http) => (ControllerCaller)http.Items[_key]!;

    internal void Attach(HttpContext http) => http.Items[_key] = this;

    public bool Sees(string project) => IsAdmin || project == Project;

    /// <summary>403 unless admin, before anything changes.</summary>
    public ControllerCaller RequireAdmin(HttpRequest request) => IsAdmin ? this
        : throw ControllerException.Forbidden($"{request.Method} {request.Path} is for the admin and service roles only; " +
            $"project '{Project}' has neither.");

    /// <summary>403 unless the caller may change its project's ports and servers (admin or member).</summary>
    public ControllerCaller RequireMember(HttpRequest request) => IsMember ? this
        : throw ControllerException.Forbidden($"{request.Method} {request.Path} needs the member or admin role; this " +
            "token may only read.");
}
