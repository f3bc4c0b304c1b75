using System.CommandLine;
using PciPassthrough.Host.Agent;

namespace PciPassthrough.Cli.Commands;

/// <summary>The options every client verb (<c>flavor</c>, <c>image</c>, <c>port</c>, <c>server</c>,
/// <c>host list|show</c>, <c>capacity</c>) shares: where the controller is, who we are, how to print.</summary>
internal sealed class ControllerOptions
{
    public const string ControllerVariable = "PCICTL_CONTROLLER", TokenVariable = "PCICTL_TOKEN";
    public const string TableFormat = "table", JsonFormat = "json";

    public Option<string> Controller { get; } = new("--controller")
    {
        Description = $"The controller's base URL (env {ControllerVariable}; default {ControllerClient.DefaultUrl}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ControllerVariable) is { Length: > 0 } url
            ? url : ControllerClient.DefaultUrl,
        HelpName = "URL",
    };

    public Option<string> AuthToken { get; } = new("--auth-token")
    {
        Description = $"The X-Auth-Token to send (env {TokenVariable}; default 'admin', which a loopback controller " +
            "without --auth-token accepts as admin; any other word is a member of the project of that name).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token ? token : "admin",
        HelpName = "TOKEN",
    };

    public Option<string> Format { get; } = CreateFormat();

    public IEnumerable<Option> All => [Controller, AuthToken, Format];

    /// <summary>The controller URL, or null (after saying why) when it is not an http(s) URL.</summary>
    public static Uri? ParseUrl(string text, TextWriter error)
    {
        if (Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return url;
        }

        error.WriteLine($"pcictl: --controller '{text}' is not an http(s) URL; expected e.g. {ControllerClient.DefaultUrl}");
        return null;
    }

    /// <summary>Why <paramref name="token"/> cannot be sent as an <c>X-Auth-Token</c> header, or null when it can:
    /// Keystone's tokens are printable ASCII, and HTTP cannot carry a line break or NUL in a header.</summary>
    public static string? TokenProblem(string token) => token.Length > 0 && token.All(c => c is > ' ' and < '\x7f')
        ? null
        : $"--auth-token '{string.Concat(token.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()))}': expected a token "
            + "of printable ASCII characters without spaces, e.g. --auth-token admin";

    /// <summary>The token to send, or null (after saying why) when it cannot be sent (from the option or
    /// <see cref="TokenVariable"/>).</summary>
    public static string? ParseToken(string text, TextWriter error)
    {
        if (TokenProblem(text) is not { } problem)
        {
            return text;
        }

        error.WriteLine($"pcictl: {problem}");
        return null;
    }

    private static Option<string> CreateFormat()
    {
        var format = new Option<string>("--format")
        {
            Description = "How to print: 'table' for people, 'json' for scripts (the controller's answer as is).",
            DefaultValueFactory = _ => TableFormat,
            HelpName = "table|json",
        };
        format.AcceptOnly(TableFormat, JsonFormat);
        return format;
    }
}
