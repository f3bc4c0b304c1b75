using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using PciPassthrough.Server;

namespace PciPassthrough.Cli.Tests.Commands;

/// <summary>The client verbs' command line, exit codes and printing, against a stub controller on 127.0.0.1 that
/// answers with canned bodies of the contract's shapes and records what it was sent.</summary>
public sealed class ControllerVerbTests : IAsyncLifetime
{
    private const string ServerId = "6f1c1f7e-3b1a-4f0e-9a51-3c2d8e4b9a10";
    private readonly List<(string Method, string Path, string Token, JsonNode? Body)> _received = [];
    private WebApplication? _stub;
    private string _controller = "";

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _stub = builder.Build();
        _stub.Use(async (context, next) =>
        {
            var body = context.Request.ContentLength > 0 ? await JsonNode.ParseAsync(context.Request.Body) : null;
            lock (_received)
            {
                _received.Add((context.Request.Method, context.Request.Path.Value!, context.Request.Headers["X-Auth-Token"].ToString(), body));
            }

            await next(context);
        });
        _stub.MapPost("/v1/flavors", () => Results.Json(
            JsonNode.Parse("""{"name": "gpu", "vcpus": 4, "ram": 8192, "disk": 0, "ephemeral": 0, "swap": 0, "extra_specs": {"pci_passthrough:alias": "a100:1"}}"""),
            statusCode: 201));
        _stub.MapGet("/v1/flavors", () => Results.Json(new { error = new { code = "internal", message = "database is locked" } }, statusCode: 503));
        _stub.MapDelete("/v1/images/{name}", (string name) => name == "cirros" ? Results.NoContent()
            : Results.Json(new { error = new { code = "not_found", message = $"no image named '{name}'" } }, statusCode: 404));
        _stub.MapPost("/v1/servers", () => Results.Json(JsonNode.Parse("""
            {"error": {"code": "no_valid_host", "message": "No valid host was found. There are not enough hosts available.",
             "hosts": [{"host": "cmp-a", "rejected_by": "PciPassthroughFilter", "reasons": ["pool a100 has 1 free device(s); 2 requested", "no other pool"]},
                       {"host": "cmp-b", "rejected_by": "NUMATopologyFilter", "reasons": ["cell 0 has 2 free CPUs; 8 requested"]}]}}
            """), statusCode: 409));
        _stub.MapGet("/v1/servers", () => Results.Json(JsonNode.Parse($$"""
            {"servers": [{"id": "{{ServerId}}", "name": "vm1", "status": "ACTIVE", "host": "cmp-a", "flavor": "gpu",
              "pci_devices": [{"address": "0000:3b:00.0"}]},
             {"id": "11111111-2222-3333-4444-555555555555", "name": "twin", "status": "ACTIVE", "host": "cmp-a", "flavor": "gpu", "pci_devices": []},
             {"id": "66666666-2222-3333-4444-555555555555", "name": "twin", "status": "ACTIVE", "host": "cmp-b", "flavor": "gpu", "pci_devices": []}]}
            """)));
        _stub.MapGet("/v1/servers/{id}", (string id) => Results.Json(JsonNode.Parse($$"""
            {"id": "{{id}}", "name": "vm1", "status": "ACTIVE", "host": "cmp-a", "ports": [], "migration": null,
             "pci_devices": [{"address": "0000:3b:00.0", "vendor_id": "10de", "product_id": "20b0", "dev_type": "type-PCI",
                              "numa_node": 0, "alias": "a100", "port": null}]}
            """)));
        _stub.MapGet("/v1/servers/{id}/domain-xml", () => Results.Text("<devices>\n  <hostdev mode='subsystem' type='pci' managed='yes'/>\n</devices>\n", "application/xml"));
        _stub.MapGet("/v1/servers/{id}/live-migration", (string id) => id == ServerId
            ? Results.Json(new { eligible = false, reason = "flavor PCI device 0000:3b:00.0 cannot be live-migrated" })
            : Results.Json(new { eligible = true, reason = (string?)null }));
        await _stub.StartAsync();
        _controller = _stub.BoundAddress().ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stub!.StopAsync();
        await _stub.DisposeAsync();
    }

    private (int ExitCode, string Output, string Error) Run(params string[] args) =>
        HostCommandRunner.Run([.. args, "--controller", _controller]);

    [Fact]
    public void FlavorCreate_SendsExtraSpecsAsStringsAndPrintsTheFlavor()
    {
        var (exitCode, output, error) = Run("flavor", "create", "gpu", "--vcpus", "4", "--ram", "8192",
            "--property", "pci_passthrough:alias=a100:1", "--property", "hw:numa_nodes=1", "--auth-token", "alice");

        exitCode.ShouldBe(0, error);
        var (method, path, token, body) = _received.ShouldHaveSingleItem();
        (method, path, token).ShouldBe(("POST", "/v1/flavors", "alice"));
        body!.ToJsonString().ShouldBe("""{"name":"gpu","vcpus":4,"ram":8192,"disk":0,"ephemeral":0,"swap":0,"extra_specs":{"pci_passthrough:alias":"a100:1","hw:numa_nodes":"1"}}""");
        output.ShouldContain("name:         gpu\n");
        output.ShouldContain("extra_specs:  pci_passthrough:alias=a100:1\n");
    }

    [Theory]
    [InlineData("--property", "novalue")]
    [InlineData("--property", "=x")]
    [InlineData("--vcpus", "0")]
    public void FlavorCreate_BadArguments_ExitTwoWithoutCallingTheController(string option, string value)
    {
        var args = new List<string> { "flavor", "create", "f", "--vcpus", "1", "--ram", "512" };
        args.AddRange([option, value]);

        var (exitCode, _, _) = Run([.. args]);

        exitCode.ShouldBe(2);
        _received.ShouldBeEmpty();
    }

    [Fact]
    public void ServerCreate_NoValidHost_ExitsOneAndPrintsEveryHostWithItsReasons()
    {
        var (exitCode, output, error) = Run("server", "create", "big", "--flavor", "gpu");

        exitCode.ShouldBe(1);
        output.ShouldBeEmpty();
        error.ReplaceLineEndings("\n").ShouldBe("""
            pcictl: refused: no valid host among 2 host(s), each rejected as follows [no_valid_host]

            HOST   REJECTED BY           REASON
            cmp-a  PciPassthroughFilter  pool a100 has 1 free device(s); 2 requested
                                         no other pool
            cmp-b  NUMATopologyFilter    cell 0 has 2 free CPUs; 8 requested

            """);
    }

    [Fact]
    public void ServerCreate_JsonFormat_PrintsTheRefusalBodyForScripts()
    {
        var (exitCode, output, _) = Run("server", "create", "big", "--flavor", "gpu", "--format", "json");

        exitCode.ShouldBe(1);
        JsonNode.Parse(output)!["error"]!["hosts"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public void ServerShow_ByName_LooksUpTheIdAndPrintsTheDevices()
    {
        var (exitCode, output, error) = Run("server", "show", "vm1");

        exitCode.ShouldBe(0, error);
        _received.Select(r => r.Path).ShouldBe(["/v1/servers", $"/v1/servers/{ServerId}"]);
        output.ShouldContain($"id:         {ServerId}\n");
        output.ShouldContain("""
            pci_devices:
            ADDRESS       VENDOR ID  PRODUCT ID  DEV TYPE  NUMA NODE  ALIAS  PORT
            0000:3b:00.0  10de       20b0        type-PCI  0          a100   -
            """);
    }

    [Fact]
    public void ServerShow_AmbiguousName_ExitsOneListingTheIds()
    {
        var (exitCode, _, error) = Run("server", "show", "twin");

        exitCode.ShouldBe(1);
        error.ShouldContain("2 servers are named 'twin': give the id instead (11111111-2222-3333-4444-555555555555, 66666666-");
    }

    [Fact]
    public void ServerList_CountsTheDevices()
    {
        var (exitCode, output, _) = Run("server", "list");

        exitCode.ShouldBe(0);
        output.Split('\n')[0].ShouldBe("ID                                    NAME  STATUS  HOST   FLAVOR  PCI DEVICES");
        output.Split('\n')[1].ShouldEndWith("vm1   ACTIVE  cmp-a  gpu     1");
    }

    [Fact]
    public void ServerDomainXml_PrintsTheXmlAsIs()
    {
        var (exitCode, output, _) = Run("server", "domain-xml", ServerId);

        exitCode.ShouldBe(0);
        output.ShouldBe("<devices>\n  <hostdev mode='subsystem' type='pci' managed='yes'/>\n</devices>\n");
    }

    [Fact]
    public void ServerDomainXml_AsJson_IsAnObjectHoldingTheXml_ReadableAsIs()
    {
        var (exitCode, output, _) = Run("server", "domain-xml", ServerId, "--format", "json");

        exitCode.ShouldBe(0);
        output.ShouldContain("<hostdev mode='subsystem'", Case.Sensitive);
        ((string?)JsonNode.Parse(output)!["xml"]).ShouldBe("<devices>\n  <hostdev mode='subsystem' type='pci' managed='yes'/>\n</devices>\n");
    }

    [Fact]
    public void ServerLiveMigrationCheck_NotEligible_ExitsOneSayingWhy()
    {
        var (exitCode, output, _) = Run("server", "live-migration-check", ServerId);

        exitCode.ShouldBe(1);
        output.ShouldBe("not eligible for live migration: flavor PCI device 0000:3b:00.0 cannot be live-migrated\n");
    }

    [Fact]
    public void ServerLiveMigrationCheck_NotEligible_JsonFormat_PrintsTheAnswerAsIsAndExitsOne()
    {
        var (exitCode, output, _) = Run("server", "live-migration-check", ServerId, "--format", "json");

        exitCode.ShouldBe(1);
        JsonNode.Parse(output)!.ToJsonString().ShouldBe("""{"eligible":false,"reason":"flavor PCI device 0000:3b:00.0 cannot be live-migrated"}""");
    }

    [Theory]
    [InlineData("table", "eligible for live migration\n")]
    [InlineData("json", "{\n  \"eligible\": true,\n  \"reason\": null\n}\n")]
    public void ServerLiveMigrationCheck_Eligible_ExitsZero(string format, string expected)
    {
        var (exitCode, output, error) = Run("server", "live-migration-check", "11111111-2222-3333-4444-555555555555", "--format", format);

        exitCode.ShouldBe(0, error);
        output.ShouldBe(expected, StringCompareShould.IgnoreLineEndings);
    }

    [Fact]
    public void ServerLiveMigrationCheck_HelpTellsTheExitCodes() =>
        HostCommandRunner.Run("server", "live-migration-check", "--help").Output
            .ShouldContain("Exit codes: 0 eligible, 1 not eligible (the reason is printed;");

    [Fact]
    public void ImageDelete_UnknownName_ExitsOneWithTheControllersMessage()
    {
        HostCommandRunner.Run("image", "delete", "cirros", "--controller", _controller).Output.ShouldBe("deleted image cirros\n");

        var (exitCode, _, error) = Run("image", "delete", "ubuntu");

        exitCode.ShouldBe(1);
        error.ShouldBe("pcictl: refused: no image named 'ubuntu' [not_found]\n", StringCompareShould.IgnoreLineEndings);
    }

    [Fact]
    public void ControllerFailing_ExitsThree()
    {
        var (exitCode, _, error) = Run("flavor", "list");

        exitCode.ShouldBe(3);
        error.ShouldContain("failed: database is locked");
    }

    [Fact]
    public void UnreachableController_ExitsThreeNamingIt()
    {
        var (exitCode, _, error) = HostCommandRunner.Run("host", "list", "--controller", "http://127.0.0.1:1");

        exitCode.ShouldBe(3);
        error.ShouldContain("cannot reach the controller at http://127.0.0.1:1/");
    }

    [Fact]
    public void ControllerNotAUrl_ExitsTwo() =>
        HostCommandRunner.Run("flavor", "list", "--controller", "ftp://x").ExitCode.ShouldBe(2);

    [Fact]
    public void Controller_ComesFromTheEnvironmentWhenNotGiven()
    {
        Environment.SetEnvironmentVariable("PCICTL_CONTROLLER", _controller);
        try
        {
            HostCommandRunner.Run("server", "domain-xml", ServerId).ExitCode.ShouldBe(0);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PCICTL_CONTROLLER", null);
        }
    }
}
