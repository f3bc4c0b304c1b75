using System.Net;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PciPassthrough.Server.Placement;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>Callers as Placement's RBAC gabbits make them in noauth2 mode: roles, project, system scope.</summary>
internal static class Callers
{
    public static PlacementClient Caller(this PlacementServerFixture server, string? roles, string? project = null,
        bool systemScoped = false, string token = "user")
    {
        var client = server.Client(token: token);
        var headers = client.Http.DefaultRequestHeaders;
        if (roles is not null)
        {
            headers.Add(PlacementCredentials.RolesHeader, roles);
        }

        if (project is not null)
        {
            headers.Add(PlacementCredentials.ProjectHeader, project);
        }

        if (systemScoped)
        {
            headers.Add(PlacementCredentials.SystemScopeHeader, "all");
        }

        return client;
    }

    /// <summary>Replaces a fresh provider's (empty) inventory through <c>POST /reshaper</c>.</summary>
    public static async Task<HttpStatusCode> ReshapeAsync(this PlacementClient client, string provider) =>
        (await client.PostAsync("reshaper", new JsonObject
        {
            ["inventories"] = new JsonObject
            {
                [provider] = new JsonObject { ["resource_provider_generation"] = 0, ["inventories"] = new JsonObject() },
            },
            ["allocations"] = new JsonObject(),
        })).Status;
}

public sealed class NewDefaultsServerFixture : PlacementServerFixture
{
    protected override PlacementServerOptions Configure(PlacementServerOptions options) => options with { EnforceNewDefaults = true };
}

public sealed class UnscopedServerFixture : PlacementServerFixture
{
    protected override PlacementServerOptions Configure(PlacementServerOptions options) => options with { EnforceScope = false };
}

/// <summary>An operator's policy file overriding some rules and adding one of its own.</summary>
public sealed class PolicyFileServerFixture : PlacementServerFixture
{
    protected override PlacementServerOptions Configure(PlacementServerOptions options)
    {
        Directory.CreateDirectory(DataDirectory);
        var file = Path.Combine(DataDirectory, "policy.yaml");
        File.WriteAllText(file, """
            # overrides
            "placement:resource_providers:list": "role:reader or rule:observer"
            observer: role:observer and not role:banned
            'placement:usages': "project_id:%(project_id)s"
            "placement:traits:list": "@"
            "placement:resource_classes:list": "!"
            "placement:resource_classes:show": "(role:member and user_id:alice) or role:admin"
            """);
        return options with { PolicyFile = file };
    }
}

/// <summary>PA-4 with Placement's default rules: admin or service everywhere, a reader of a project its usages;
/// the deprecated defaults still apply (an admin may reshape) and system-scoped tokens are refused.</summary>
public sealed class DefaultPolicyTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    [Fact]
    public async Task PA4_Refusal_NamesTheRule()
    {
        using var member = server.Caller("member,reader", "p1");

        var refused = await member.GetAsync("resource_providers");

        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.ErrorDetail.ShouldBe("Policy does not allow placement:resource_providers:list to be performed.");
    }

    [Theory]
    [InlineData("admin", "elsewhere", HttpStatusCode.OK)]
    [InlineData("service", "elsewhere", HttpStatusCode.OK)]
    [InlineData("reader", "p1", HttpStatusCode.OK)]
    [InlineData("member,reader", "p1", HttpStatusCode.OK)]
    [InlineData("member,reader", "p2", HttpStatusCode.Forbidden)]
    [InlineData("member", "p1", HttpStatusCode.Forbidden)]
    public async Task PA4_ProjectUsages_AdminServiceOrAReaderOfThatProject(string roles, string project, HttpStatusCode expected)
    {
        using var caller = server.Caller(roles, project);
        (await caller.GetAsync("usages?project_id=p1")).Status.ShouldBe(expected);
    }

    [Fact]
    public async Task PA4_AnAdminMayReshape_WhileNewDefaultsAreNotEnforced()
    {
        using var admin = server.Client();
        var provider = await admin.CreateProviderAsync($"reshaped-{Guid.NewGuid():N}");

        (await admin.ReshapeAsync(provider)).ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task EveryPlacementRoute_IsGuardedByARule()
    {
        var directory = Directory.CreateTempSubdirectory("pcictl-routes-").FullName;
        try
        {
            await using var app = await PlacementServer.BuildAsync(new PlacementServerOptions("127.0.0.1:0", directory),
                TestContext.Current.CancellationToken);
            var routes = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText!.StartsWith(PlacementEndpoints.Prefix + "/", StringComparison.Ordinal)
                    && e.RoutePattern.RawText != PlacementEndpoints.Prefix + "/")
                .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                    .Select(method => (method, Pattern: e.RoutePattern.RawText![PlacementEndpoints.Prefix.Length..])))
                .ToList();

            routes.Count.ShouldBe(35);
            routes.Where(r => PlacementPolicy.RuleFor(r.method, r.Pattern) is null).ShouldBeEmpty();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>PA-4 with <c>enforce_new_defaults</c>: the deprecated role:admin no longer passes rules whose new
/// default lacks it — reshaping needs the service role.</summary>
public sealed class NewDefaultsPolicyTests(NewDefaultsServerFixture server) : IClassFixture<NewDefaultsServerFixture>
{
    [Fact]
    public async Task PA4_NewDefaults_OnlyTheServiceRoleReshapes()
    {
        using var admin = server.Client();
        using var service = server.Caller("service", "services");
        var provider = await admin.CreateProviderAsync($"reshaped-{Guid.NewGuid():N}");

        var refused = await admin.PostAsync("reshaper", new JsonObject { ["inventories"] = new JsonObject(), ["allocations"] = new JsonObject() });
        refused.Status.ShouldBe(HttpStatusCode.Forbidden);
        refused.ErrorDetail.ShouldBe("Policy does not allow placement:reshaper:reshape to be performed.");
        (await service.ReshapeAsync(provider)).ShouldBe(HttpStatusCode.NoContent);
        (await service.GetAsync("resource_providers")).Status.ShouldBe(HttpStatusCode.OK);
    }
}

/// <summary>PA-4 without <c>enforce_scope</c>: a system-scoped token is judged by its roles like any other.</summary>
public sealed class UnscopedPolicyTests(UnscopedServerFixture server) : IClassFixture<UnscopedServerFixture>
{
    [Theory]
    [InlineData("admin,member,reader", HttpStatusCode.OK)]
    [InlineData("reader", HttpStatusCode.Forbidden)]
    public async Task PA4_WithoutScopeEnforcement_SystemScopedTokensAreJudgedByRole(string roles, HttpStatusCode expected)
    {
        using var system = server.Caller(roles, systemScoped: true);
        (await system.GetAsync("resource_providers")).Status.ShouldBe(expected);
    }
}

/// <summary>PA-4 with an operator's policy file: its rules replace the defaults they name, may refer to rules of
/// its own, and every other rule keeps its default.</summary>
public sealed class PolicyFileTests(PolicyFileServerFixture server) : IClassFixture<PolicyFileServerFixture>
{
    [Theory]
    [InlineData("reader", HttpStatusCode.OK)]
    [InlineData("observer", HttpStatusCode.OK)]
    [InlineData("observer,banned", HttpStatusCode.Forbidden)]
    [InlineData("OBSERVER", HttpStatusCode.OK)]
    [InlineData("member", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.Forbidden)]
    public async Task PolicyFile_RuleWithRoleRuleAndNot(string roles, HttpStatusCode expected)
    {
        using var caller = server.Caller(roles, "p1");
        (await caller.GetAsync("resource_providers")).Status.ShouldBe(expected);
    }

    [Theory]
    [InlineData("p1", HttpStatusCode.OK)]
    [InlineData("p2", HttpStatusCode.Forbidden)]
    public async Task PolicyFile_TargetProject_IsTheOneAskedAbout(string project, HttpStatusCode expected)
    {
        using var roleless = server.Caller("", project);
        using var otherAdmin = server.Caller("admin", "p2");

        (await roleless.GetAsync("usages?project_id=p1")).Status.ShouldBe(expected);
        (await otherAdmin.GetAsync("usages?project_id=p1")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PolicyFile_AlwaysAndNever()
    {
        using var roleless = server.Caller("");
        using var admin = server.Client();

        (await roleless.GetAsync("traits")).Status.ShouldBe(HttpStatusCode.OK);
        (await admin.GetAsync("resource_classes")).Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("alice:p1", "member", HttpStatusCode.OK)]
    [InlineData("bob:p1", "member", HttpStatusCode.Forbidden)]
    [InlineData("bob:p1", "admin", HttpStatusCode.OK)]
    public async Task PolicyFile_UserAndParentheses(string token, string roles, HttpStatusCode expected)
    {
        using var caller = server.Caller(roles, token: token);
        (await caller.GetAsync("resource_classes/VCPU")).Status.ShouldBe(expected);
    }

    [Fact]
    public async Task PolicyFile_RulesItDoesNotName_KeepTheirDefaults()
    {
        using var member = server.Caller("member,reader", "p1");
        using var admin = server.Client();

        (await member.PostAsync("resource_providers", new JsonObject { ["name"] = $"no-{Guid.NewGuid():N}" })).Status
            .ShouldBe(HttpStatusCode.Forbidden);
        (await admin.PostAsync("resource_providers", new JsonObject { ["name"] = $"yes-{Guid.NewGuid():N}" })).Status
            .ShouldBe(HttpStatusCode.OK);
    }
}

/// <summary>A policy file that cannot be used stops the start, naming the file, the rule and the problem.</summary>
public sealed class PolicyFileLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pcictl-policy-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("\"placement:traits:list\": \"role:admin and\"", "rule 'placement:traits:list' (line 1): a check is missing after 'and'")]
    [InlineData("a: \"(role:admin or role:service\"", "rule 'a' (line 1): '(' without its ')'")]
    [InlineData("a: \"role:admin)\"", "rule 'a' (line 1): unexpected ')'")]
    [InlineData("a: admin", "rule 'a' (line 1): 'admin' is not a check (@, !, or KIND:MATCH such as role:admin)")]
    [InlineData("a: \"http://policy.example.com\"", "rule 'a' (line 1): 'http://policy.example.com': remote (http) checks are not supported")]
    [InlineData("a: {b: c}", "rule 'a' (line 1): a rule must be a check string")]
    [InlineData("\"placement:traits:list\": \"rule:nobody\"", "rule 'placement:traits:list': refers to rule 'nobody', which is not defined")]
    [InlineData("a: rule:b\nb: rule:c\nc: rule:a", "rule 'a': refers to itself through a -> b -> c -> a")]
    [InlineData("- role:admin", "not a mapping of rule names to check strings")]
    [InlineData("a: b: c", "line 1: not YAML or JSON: ")]
    [InlineData("a: { *x b\nc: '", "not YAML or JSON: ")] // YamlDotNet's InvalidOperationException (AnyPolicyFile_… found it)
    [InlineData(" : >", "not YAML or JSON: ")] // and its ArgumentException
    public void BadPolicyFile_IsRefused(string content, string problem)
    {
        var file = Path.Combine(_directory, "policy.yaml");
        File.WriteAllText(file, content);

        var refused = Should.Throw<PolicyFileException>(() => PlacementPolicy.Load(new PlacementServerOptions { PolicyFile = file }));

        refused.Message.ShouldStartWith($"policy file {file}: {problem}");
    }

    [Fact]
    public void MissingPolicyFile_IsRefused()
    {
        var file = Path.Combine(_directory, "absent.yaml");

        Should.Throw<PolicyFileException>(() => PlacementPolicy.Load(new PlacementServerOptions { PolicyFile = file }))
            .Message.ShouldStartWith($"policy file {file}: cannot read it: ");
    }

    [Theory]
    [InlineData("a,b", true)]
    [InlineData("c", true)]
    [InlineData("a", false)]
    public void JsonPolicyFile_WithOsloListForm_AnyListOfAllChecks(string roles, bool allowed)
    {
        var file = Path.Combine(_directory, "policy.json");
        File.WriteAllText(file, """{"placement:resource_providers:list": [["role:a", "role:b"], ["role:c"]], "placement:traits:list": []}""");
        var policy = PlacementPolicy.Load(new PlacementServerOptions { PolicyFile = file });
        var identity = new PlacementIdentity("p1", roles.Split(',').ToHashSet());
        var request = new DefaultHttpContext().Request;

        policy.Allows("placement:resource_providers:list", identity, request).ShouldBe(allowed);
        policy.Allows("placement:traits:list", identity, request).ShouldBeTrue();
    }

    /// <summary>Any policy file, YAML or JSON, loads (and then answers every rule for any caller) or is refused with
    /// a <see cref="PolicyFileException"/>; the controller never starts with a half-read policy.</summary>
    [Fact]
    public void AnyPolicyFile_LoadsOrIsRefusedNeverAnException()
    {
        var rule = Gen.OneOf<string>("placement:traits:list", "placement:resource_providers:list", "a", "b", "\"a\"", "'b'", "");
        var check = Gen.OneOf(
            Gen.OneOf<string>("role:admin", "rule:a", "rule:b", "@", "!", "not", "and", "or", "(", ")", "role:%(project_id)s",
                "project_id:%(project_id)s", "http://x", "\"", "'", "[", "]", "{", "}", ",", "-", "#", "&x", "*x", "|", ">"),
            Gen.String[Gen.Char["abc:()%!@ \"'[]{},-"], 0, 8]);
        var line = Gen.Select(Gen.Int[0, 4], rule, check.Array[0, 5],
            (indent, name, checks) => $"{new string(' ', indent)}{name}: {string.Join(' ', checks)}");
        var file = Path.Combine(_directory, "fuzz.yaml");
        var identity = new PlacementIdentity("p1", new HashSet<string> { "admin" });
        var request = new DefaultHttpContext().Request;

        Gen.Frequency((3, line.Array[0, 6].Select(lines => string.Join('\n', lines))), (1, check.Array[0, 6].Select(parts => string.Join("", parts))))
            .Sample(text =>
            {
                File.WriteAllText(file, text);
                try
                {
                    var policy = PlacementPolicy.Load(new PlacementServerOptions { PolicyFile = file });
                    policy.Allows("placement:traits:list", identity, request);
                }
                catch (PolicyFileException)
                {
                    // refused, with the rule and line named (BadPolicyFile_IsRefused)
                }
            }, threads: 1, iter: 2000);
    }
}
