using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace PciPassthrough.Server.Tests.Controller;

/// <summary>The REST API under <c>/v1</c> fed mutated bodies (agents' host reports, flavors with extra specs, images,
/// ports, servers and their actions) and generated queries: every request gets an answer or a 4xx error naming what was
/// wrong (<c>{"error": {"code", "message"}}</c>), never a 500, and a refused write leaves the catalogue, the hosts'
/// devices and the servers as they were.</summary>
public sealed class ControllerFuzzTests : IAsyncLifetime
{
    /// <summary>Fewer for raw bodies: their kinds are few, and each iteration reads everything stored twice.</summary>
    private const int RawIterations = 150;

    private const int Iterations = 200;
    private ControllerFixture _server = null!;
    private PlacementClient _admin = null!;

    private static readonly Gen<string> _token = Gen.Frequency(
        (4, Gen.OneOf("cmp-0", "gpu.1", "q35", "a100", "a100:1", "a100:2", "migratable:1", "physnet1", "direct", "normal",
            "type-PCI", "type-VF", "10de", "20b5", "0000:3b:00.0", "0000:81:02.0", "required", "preferred", "socket",
            "legacy", "hw:cpu_policy", "dedicated", "hw:numa_nodes", "hw:mem_page_size", "hw:pci_numa_affinity_policy",
            "pci_passthrough:alias", "hw_viommu_model", "intel", "q35", "hw_machine_type", "yes", "true")),
        (3, Gen.OneOf("", " ", ":", ",", "-1", "0", "1", "2", "99999999999999999999", "1.5", "{}", "[]", "null", "é", "☃",
            "\u0000", "%", "a:b:c", "0000:zz:00.0", "ffff:ff:1f.7")),
        (1, Gen.String[Gen.Char["abc019:,._- é{}\"[]"], 0, 12]));

    public async ValueTask InitializeAsync()
    {
        _server = await ControllerFixture.StartAsync();
        _admin = _server.Client();
        (await _admin.PutAsync("v1/hosts/cmp-0", ControllerHosts.Host(gpus: 2, vfs: 2))).Status.ShouldBe(HttpStatusCode.OK);
        (await _admin.PostAsync("v1/flavors", ControllerHosts.Flavor("gpu.1"))).Status.ShouldBe(HttpStatusCode.Created);
        (await _admin.PostAsync("v1/images", new JsonObject
        {
            ["name"] = "q35",
            ["properties"] = new JsonObject { ["hw_machine_type"] = "q35", ["hw_viommu_model"] = "intel" },
        })).Status.ShouldBe(HttpStatusCode.Created);
        (await _admin.PostAsync("v1/servers", new JsonObject { ["name"] = "vm0", ["flavor"] = "gpu.1" })).Status.ShouldBe(HttpStatusCode.Created);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AnyMutatedBody_AnswersOrRefusesWithoutChangingAnything() =>
        await Gen.Select(Gen.Int[0, _writes.Length - 1], JsonFuzz.Mutation(_token).Array[1, 3]).SampleAsync(async (write, mutations) =>
        {
            var (method, path, body) = await _writes[write](_admin);
            var text = mutations.Aggregate(body.ToJsonString(), (json, mutate) => mutate(json));
            using var content = new StringContent(text, Encoding.UTF8, "application/json");
            await ShouldAnswerOrRefuseWithoutChangingAnythingAsync(method, path, content, $"{method} {path}: {text}");
        }, iter: Iterations, threads: 1);

    [Fact]
    public async Task AnyQuery_AnswersOrGivesAnError()
    {
        var path = Gen.OneOf("v1/capacity", "v1/servers", "v1/hosts", "v1/flavors", "v1/ports", "v1/images", "v1/hosts/cmp-0",
            "v1/flavors/gpu.1", "v1/images/q35");
        var query = Gen.Select(Gen.OneOf("flavor", "count", "image", "host", "project", "format", "all", "x"), _token, Gen.Bool,
                (name, value, escaped) => $"{name}={(escaped ? Uri.EscapeDataString(value) : value)}")
            .Array[0, 4].Select(pairs => string.Join('&', pairs));
        await Gen.Select(path, query).SampleAsync(async (where, parameters) =>
        {
            using var sent = await _admin.Http.GetAsync($"{where}?{parameters}", TestContext.Current.CancellationToken);
            var answer = await sent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            ShouldBeAnAnswerOrAnError(sent, answer, $"GET {where}?{parameters} → {(int)sent.StatusCode} {answer}");
        }, iter: Iterations, threads: 1);
    }

    /// <summary>Bodies that are not JSON text (<see cref="JsonFuzz.RawBody"/>) under any Content-Type, and odd path
    /// segments, for every write and lookup: a 4xx naming what was wrong, never a 500; nothing stored changes.</summary>
    [Fact]
    public async Task AnyRawBodyOrPathSegment_AnswersOrGivesAnError()
    {
        var segment = JsonFuzz.Segment(_token);
        var route = Gen.OneOf(
            Gen.Const((HttpMethod.Post, "v1/flavors")), Gen.Const((HttpMethod.Post, "v1/images")), Gen.Const((HttpMethod.Post, "v1/ports")),
            Gen.Const((HttpMethod.Post, "v1/servers")), segment.Select(s => (HttpMethod.Put, $"v1/hosts/{s}")),
            segment.Select(s => (HttpMethod.Post, $"v1/servers/{s}/action")), segment.Select(s => (HttpMethod.Get, $"v1/servers/{s}")),
            segment.Select(s => (HttpMethod.Get, $"v1/servers/{s}/domain-xml")), segment.Select(s => (HttpMethod.Get, $"v1/flavors/{s}")),
            segment.Select(s => (HttpMethod.Delete, $"v1/images/{s}")), segment.Select(s => (HttpMethod.Delete, $"v1/ports/{s}")),
            segment.Select(s => (HttpMethod.Get, $"v1/hosts/{s}")));
        await Gen.Select(route, JsonFuzz.RawBody, JsonFuzz.ContentType).SampleAsync(async (call, body, type) =>
        {
            var (method, path) = call;
            using var content = JsonFuzz.Content(body, type);
            await ShouldAnswerOrRefuseWithoutChangingAnythingAsync(method, path, method == HttpMethod.Get ? null : content,
                $"{method} {path} ({type}): {Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 40)))}");
        }, iter: RawIterations, threads: 1);
    }

    private async Task ShouldAnswerOrRefuseWithoutChangingAnythingAsync(HttpMethod method, string path, HttpContent? content, string sending)
    {
        var before = await DigestAsync();
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var sent = await _admin.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var answer = await sent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var what = $"{sending} → {(int)sent.StatusCode} {answer}";
        ShouldBeAnAnswerOrAnError(sent, answer, what);
        if ((int)sent.StatusCode >= 400)
        {
            (await DigestAsync()).ShouldBe(before, $"a refused write changed what was stored: {what}");
        }
    }

    private void ShouldBeAnAnswerOrAnError(HttpResponseMessage sent, string answer, string what)
    {
        ((int)sent.StatusCode).ShouldBeLessThan(500, $"{what}\nserver errors:\n{_server.Errors.Recent()}");
        if ((int)sent.StatusCode >= 400 && sent.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var error = JsonNode.Parse(answer)!["error"]!;
            error["code"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace(what);
            error["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace(what);
        }
    }

    /// <summary>What a write could change: the catalogue, the hosts' devices and the servers with their devices.</summary>
    private async Task<string> DigestAsync()
    {
        var parts = new List<string>();
        foreach (var path in new[] { "v1/flavors", "v1/images", "v1/ports", "v1/servers" })
        {
            parts.Add((await _admin.GetAsync(path)).Text);
        }

        var host = (await _admin.GetAsync("v1/hosts/cmp-0")).Json;
        parts.Add(host["devices"]!.ToJsonString());
        return string.Join('\n', parts);
    }

    /// <summary>A valid body for each write (a fresh name each time, or the existing server's id); mutations break it.</summary>
    private static readonly Func<PlacementClient, Task<(HttpMethod, string, JsonNode)>>[] _writes =
    [
        _ => Task.FromResult((HttpMethod.Put, "v1/hosts/cmp-0", (JsonNode)ControllerHosts.Host(gpus: 2, vfs: 2))),
        _ => Task.FromResult((HttpMethod.Post, "v1/flavors", (JsonNode)ControllerHosts.Flavor($"f-{Guid.NewGuid():N}", extraSpecs: new JsonObject
        {
            ["hw:pci_numa_affinity_policy"] = "preferred",
            ["hw:numa_nodes"] = "1",
            ["hw:cpu_policy"] = "dedicated",
        }))),
        _ => Task.FromResult((HttpMethod.Post, "v1/images", (JsonNode)new JsonObject
        {
            ["name"] = $"i-{Guid.NewGuid():N}",
            ["properties"] = new JsonObject { ["hw_machine_type"] = "q35", ["hw_viommu_model"] = "intel", ["hw_numa_nodes"] = 1 },
        })),
        _ => Task.FromResult((HttpMethod.Post, "v1/ports", (JsonNode)new JsonObject
        {
            ["name"] = $"p-{Guid.NewGuid():N}",
            ["vnic_type"] = "direct",
            ["physical_network"] = ControllerHosts.Physnet,
            ["trusted"] = true,
            ["numa_affinity_policy"] = "preferred",
        })),
        _ => Task.FromResult((HttpMethod.Post, "v1/servers", (JsonNode)new JsonObject
        {
            ["name"] = $"vm-{Guid.NewGuid():N}",
            ["flavor"] = "gpu.1",
            ["image"] = "q35",
            ["ports"] = new JsonArray(),
        })),
        async admin =>
        {
            var server = (await admin.GetAsync("v1/servers")).Json["servers"]!.AsArray().First()!["id"]!.GetValue<string>();
            return (HttpMethod.Post, $"v1/servers/{server}/action", new JsonObject { ["resize"] = new JsonObject { ["flavor"] = "gpu.1" } });
        },
    ];
}
