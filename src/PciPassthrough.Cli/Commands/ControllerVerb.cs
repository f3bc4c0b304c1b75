using System.CommandLine;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PciPassthrough.Host.Agent;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// Builds a client verb: its own arguments and options plus <see cref="ControllerOptions"/>; the action makes one
/// request, prints the answer (a table, or the JSON as is) and returns an exit code that says what happened:
/// 0 done, 1 refused by the controller (the reason, and for <c>no_valid_host</c> every host with its reasons, on
/// stderr) or an answer that says no (a check that fails, fewer servers fit than asked), 2 bad command line,
/// 3 controller unreachable or failing.
/// </summary>
internal static class ControllerVerb
{
    /// <summary>What a verb's help says when its own description does not say more.</summary>
    private const string DefaultExitCodes = "Exit codes: 0 done, 1 refused by the controller (unknown name, not allowed), "
        + "2 bad arguments, 3 no controller.";

    /// <summary>The answer re-indented, its text kept as the controller wrote it (quotes and × unescaped).</summary>
    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public delegate Task<ControllerRequest> RequestFactory(ParseResult parse, ControllerLookup lookup, CancellationToken cancellationToken);

    /// <summary>Prints a successful answer in the <c>table</c> format.</summary>
    public delegate void TableWriter(ParseResult parse, JsonNode? json, TextWriter output);

    /// <summary>Whether a successful answer says yes: a check whose answer is no exits 1 once the answer is printed.</summary>
    public delegate bool Verdict(JsonNode? json);

    /// <summary>Prints one object (<see cref="JsonTable.WriteObject"/>).</summary>
    public static TableWriter Object { get; } = (_, json, output) => JsonTable.WriteObject(output, json);

    /// <summary>Prints a list under <paramref name="key"/> with <paramref name="columns"/>.</summary>
    public static TableWriter List(string key, params JsonTable.Column[] columns) =>
        (_, json, output) => JsonTable.WriteList(output, json, key, columns);

    /// <summary>Says what was deleted.</summary>
    public static TableWriter Deleted(string what, Argument<string> argument) =>
        (parse, _, output) => output.WriteLine($"deleted {what} {parse.GetRequiredValue(argument)}");

    public static Command Create(
        string name, string description, IEnumerable<Symbol> symbols, RequestFactory request, TableWriter table, Verdict? verdict = null)
    {
        var options = new ControllerOptions();
        var command = new Command(name, description.Contains("Exit codes:", StringComparison.Ordinal)
            ? description
            : $"{description}\n\n{DefaultExitCodes}");
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => RunAsync(parse, options, request, table, verdict, cancellationToken));
        return command;
    }

    /// <summary>A request that needs nothing but the command line.</summary>
    public static RequestFactory Plain(Func<ParseResult, ControllerRequest> request) =>
        (parse, _, _) => Task.FromResult(request(parse));

    private static async Task<int> RunAsync(
        ParseResult parse, ControllerOptions options, RequestFactory request, TableWriter table, Verdict? verdict,
        CancellationToken cancellationToken)
    {
        var (output, error) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        if (ControllerOptions.ParseUrl(parse.GetRequiredValue(options.Controller), error) is not { } url
            || ControllerOptions.ParseToken(parse.GetRequiredValue(options.AuthToken), error) is not { } token)
        {
            return ExitCodes.Usage;
        }

        var json = parse.GetRequiredValue(options.Format) == ControllerOptions.JsonFormat;
        using var client = new ControllerClient(url, token);
        try
        {
            var call = await request(parse, new ControllerLookup(client), cancellationToken);
            var response = await client.SendAsync(call.Method, call.Path, call.Body, cancellationToken);
            if ((int)response.Status >= 500)
            {
                await error.WriteLineAsync($"pcictl: the controller at {url} failed: {response.ErrorMessage}");
                return ExitCodes.Unreachable;
            }

            if (json && response.Json is { } body)
            {
                await output.WriteLineAsync(body.ToJsonString(_indented));
            }

            if (!response.IsSuccess)
            {
                WriteRefusal(error, response);
                return ExitCodes.Invalid;
            }

            if (verdict is not null && response.Json is null)
            {
                // a yes/no verb cannot answer from nothing, and a script asking for JSON would get no output at all
                await error.WriteLineAsync($"pcictl: the controller at {url} answered {(int)response.Status} without the JSON this verb reads");
                return ExitCodes.Unreachable;
            }

            if (response.Json is null && response.Text.Length > 0)
            {
                // not JSON (domain-xml's XML): as is for people, one JSON string for scripts
                await output.WriteLineAsync(json ? new JsonObject { ["xml"] = response.Text }.ToJsonString(_indented) : response.Text.TrimEnd('\n'));
            }
            else if (!json)
            {
                table(parse, response.Json, output);
            }

            return verdict?.Invoke(response.Json) == false ? ExitCodes.Invalid : ExitCodes.Ok;
        }
        catch (ControllerUnreachableException e)
        {
            await error.WriteLineAsync($"pcictl: {e.Message} (is 'pcictl serve' running? set --controller or {ControllerOptions.ControllerVariable})");
            return ExitCodes.Unreachable;
        }
        catch (ControllerRefusalException e)
        {
            await error.WriteLineAsync($"pcictl: {e.Message}");
            return ExitCodes.Invalid;
        }
    }

    /// <summary>Why the controller said no; a <c>no_valid_host</c> answer lists every host with its reasons.</summary>
    private static void WriteRefusal(TextWriter error, ControllerResponse response)
    {
        var problem = response.Json.Field("error");
        var code = problem.Field("code").AsText();
        var stage = problem.Field("stage").AsText();
        var what = response.Status switch
        {
            HttpStatusCode.Unauthorized => "the controller does not know this token (--auth-token or PCICTL_TOKEN)",
            HttpStatusCode.Forbidden => "this token may not do that",
            _ => "refused",
        };
        var hosts = problem.Field("hosts") as JsonArray;
        // the hosts' reasons are in the table below; the message repeats them on one line
        var message = hosts is null ? response.ErrorMessage : $"no valid host among {hosts.Count} host(s), each rejected as follows";
        error.WriteLine($"pcictl: {what}: {message}" + (code is null ? "" : $" [{code}{(stage is null ? "" : $", stage {stage}")}]"));
        if (hosts is not null)
        {
            error.WriteLine();
            HostTextTable.Write(error, ["HOST", "REJECTED BY", "REASON"],
                [.. hosts.SelectMany(host => JsonTable.ReasonRows(host.Field("reasons"), JsonTable.Text(host.Field("host")), JsonTable.Text(host.Field("rejected_by"))))]);
        }
    }
}
