using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Controller;

/// <summary>An answer other than success, rendered as <c>{"error": {"code", "message", …}}</c>; the message names the
/// field, the value and what would be valid. <see cref="Details"/> are extra keys of the error object.</summary>
public sealed class ControllerException(int status, string code, string message, JsonObject? details = null)
    : Exception(message)
{
    public const string BadRequestCode = "bad_request", NotFoundCode = "not_found", ConflictCode = "conflict",
        ForbiddenCode = "forbidden", UnauthorizedCode = "unauthorized", InvalidRequestCode = "invalid_request",
        NoValidHostCode = "no_valid_host", BusyCode = "busy";

    public int Status { get; } = status;
    public string Code { get; } = code;
    public JsonObject? Details { get; } = details;

    public static ControllerException BadRequest(string field, string message) =>
        new(StatusCodes.Status400BadRequest, BadRequestCode, message, new JsonObject { ["field"] = field });

    public static ControllerException NotFound(string what, string name) =>
        new(StatusCodes.Status404NotFound, NotFoundCode, $"{what} '{name}' does not exist (or is not in your project).");

    public static ControllerException Conflict(string message) =>
        new(StatusCodes.Status409Conflict, ConflictCode, message);

    public static ControllerException Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, ForbiddenCode, message);
}
