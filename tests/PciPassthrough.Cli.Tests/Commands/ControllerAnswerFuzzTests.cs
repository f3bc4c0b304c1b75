using System.CommandLine;
using System.Globalization;
using CsCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using PciPassthrough.Server;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>What a client verb reads is the controller's answer, which a proxy, another version or a broken
/// controller may give in any shape: every verb, in both formats, fed any status and any JSON (or not JSON) answer,
/// exits 0, or 1 or 3 saying why; never an exception.</summary>
public sealed class ControllerAnswerFuzzTests : IAsyncLifetime
{
    private const int Iterations = 300;

    /// <summary>The keys the verbs look for, so that generated answers reach their readers.</summary>
    private static readonly Gen<string> _key = Gen.OneOf("error", "message", "code", "stage", "hosts", "host", "reasons",
        "rejected_by", "servers", "ports", "flavors", "images", "name", "id", "eligible", "reason", "fits", "asked",
        "per_host", "blockers", "api_error", "kind", "count", "devices", "status", "pci_devices", "flavor", "image", "xml",
        "started", "vf_trust", "server", "port", "address", "extra_specs", "properties", "", "x");

    private static readonly Gen<string> _scalar = Gen.OneOf(
        Gen.OneOf("null", "true", "false", "0", "1", "-1", "2", "1.5", "1e308", "99999999999999999999", "2147483648",
            "\"\"", "\"vm1\"", "\"6f1c1f7e-3b1a-4f0e-9a51-3c2d8e4b9a10\"", "\"no_valid_host\"", "\"a\\u0000b\"", "\"\\ud800\""),
        Gen.String[Gen.Char["abc \"\\\n\t/é"], 0, 6].Select(s => System.Text.Json.JsonSerializer.Serialize(s)));

    private static readonly Gen<string> _json = Json(3);

    private static readonly Gen<(int Status, string ContentType, string Body)> _answer = Gen.Select(
        Gen.OneOf(200, 200, 201, 204, 400, 401, 403, 404, 409, 500, 503),
        Gen.OneOf("application/json", "application/json", "text/html", "application/xml"),
        Gen.Frequency((8, _json), (1, Gen.OneOf("", "<html>502 Bad Gateway</html>", "{", "[1,", "nul", "\"unterminated"))),
        (status, type, body) => (status, type, body));

    private WebApplication? _stub;
    private string _controller = "";
    private (int Status, string ContentType, string Body) _next;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _stub = builder.Build();
        _stub.Run(async context =>
        {
            var (status, contentType, body) = _next;
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            if (status != 204)
            {
                await context.Response.WriteAsync(body, context.RequestAborted);
            }
        });
        await _stub.StartAsync();
        _controller = _stub.BoundAddress().ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stub!.StopAsync();
        await _stub.DisposeAsync();
    }

    [Fact]
    public void AnyVerb_AnyAnswer_ExitsWithACodeNeverAnException()
    {
        var verbs = CommandLineFuzzTests.ClientVerbs();
        Gen.Select(Gen.Int[0, verbs.Count - 1], Gen.OneOf("table", "json"), Gen.OneOf("vm1", "6f1c1f7e-3b1a-4f0e-9a51-3c2d8e4b9a10"), _answer)
            .Sample((which, format, name, answer) =>
            {
                var (path, command) = verbs[which];
                List<string> line = [.. path, .. command.Arguments.Select(_ => name)];
                foreach (var option in command.Options.Where(o => o.Required))
                {
                    line.AddRange([option.Name, option.Name is "--vcpus" or "--ram" ? "1" : "f"]);
                }

                line.AddRange(["--controller", _controller, "--format", format]);
                _next = answer;
                var (output, error) = (new StringWriter(), new StringWriter());
                var what = $"{string.Join(' ', line)} ← {answer.Status} {answer.ContentType} {answer.Body}";

                var exitCode = Program.Run(line, new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });

                exitCode.ShouldBeOneOf([ExitCodes.Ok, ExitCodes.Invalid, ExitCodes.Unreachable], what);
                // (a script asking for JSON gets the answer as is, and an empty answer as nothing)
                if (exitCode != ExitCodes.Ok && (format == "table" || answer.Status != 204))
                {
                    (output.ToString() + error).ShouldNotBeEmpty(what);
                }
            }, iter: Iterations, threads: 1);
    }

    /// <summary>Answers each reader threw on (InvalidOperationException from JsonNode's indexer or casts, ArgumentException
    /// from a repeated key), now read as absent fields.</summary>
    [Theory]
    [InlineData(200, """[1, "x", null]""", 0, "NAME", "server", "list")]
    [InlineData(409, """{"error": "database is locked"}""", 1, "pcictl: refused: HTTP 409 Conflict: {\"error\": \"database is locked\"}", "flavor", "show", "f")]
    [InlineData(400, """{"error": {"message": 7, "code": 7}}""", 1, "pcictl: refused: HTTP 400 BadRequest: ", "flavor", "show", "f")]
    [InlineData(200, """{"servers": [{"name": 1}, 2]}""", 1, "pcictl: no server has the id or name 'vm1'", "server", "show", "vm1")]
    [InlineData(200, """{"eligible": "yes"}""", 1, "not eligible for live migration: -", "server", "live-migration-check", "6f1c1f7e-3b1a-4f0e-9a51-3c2d8e4b9a10")]
    [InlineData(200, """{"fits": "2", "asked": 1.5, "blockers": [{"host": "a"}, {"host": "a"}], "per_host": [{"host": "a"}]}""", 0, "0 more servers of - fit", "capacity", "--flavor", "f")]
    [InlineData(200, """{"name": "\ud800"}""", 0, "\"\\ud800\"", "flavor", "show", "f")]
    [InlineData(201, "", 3, "answered 201 without the JSON this verb reads", "server", "live-migration-check", "6f1c1f7e-3b1a-4f0e-9a51-3c2d8e4b9a10", "--format", "json")]
    [InlineData(200, "", 3, "answered 200 without the JSON this verb reads", "capacity", "--flavor", "f")]
    public void AnswerOfAnotherShape_IsReadAsAbsentFields(int status, string body, int exitCode, string printed, params string[] line)
    {
        _next = (status, "application/json", body);

        var (code, output, error) = HostCommandRunner.Run([.. line, "--controller", _controller]);

        code.ShouldBe(exitCode, output + error);
        (output + error).ShouldContain(printed, Case.Sensitive);
    }

    private static Gen<string> Json(int depth) => depth == 0 ? _scalar : Gen.Frequency(
        (2, _scalar),
        (1, Json(depth - 1).Array[0, 3].Select(items => $"[{string.Join(',', items)}]")),
        (3, Gen.Select(_key, Json(depth - 1)).Array[0, 4].Select(pairs =>
            $"{{{string.Join(',', pairs.Select(p => string.Create(CultureInfo.InvariantCulture, $"\"{p.Item1}\":{p.Item2}")))}}}")));
}
