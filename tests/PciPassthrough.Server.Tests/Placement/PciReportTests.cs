using System.Net;
using System.Text.Json.Nodes;
using PciPassthrough.Core;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Placement;
using PciPassthrough.Host.Placement;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>
/// Nova's side of PCI in Placement (06 PM-16…PM-22) against our own server: the compute's <see cref="PlacementReporter"/>
/// writes the provider tree Core plans, heals allocations, keeps one-time-use devices reserved, and survives a
/// concurrent writer.
/// </summary>
public sealed class PciReportTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    private static PciHostBuilder NicHost() => new PciHostBuilder().WithReportInPlacement()
        .WithSpec("""{"vendor_id": "8086", "product_id": "1515", "traits": "fast"}""")
        .WithSpec("""{"vendor_id": "dead", "one_time_use": "true"}""")
        .WithPfAndVfs("0000:81:00.0", 2)
        .With(Plain("0000:71:00.0", "dead", "beef"));

    private HttpClient Http(DelegatingHandler? handler = null)
    {
        var http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = server.BaseAddress;
        http.DefaultRequestHeaders.Add("x-auth-token", "admin");
        return http;
    }

    private static Task<PlacementReport> ReportAsync(HttpClient http, string host, PciHostBuilder builder, PciDeviceTracker tracker)
    {
        var view = PciPlacementView.Build(host, builder.ParseSpecs(), tracker.Devices, NovaRelease.Latest);
        return new PlacementReporter(http).ReportAsync(host, view, tracker.Pools, [], null, TestContext.Current.CancellationToken);
    }

    /// <summary>A 200 that is not JSON (a proxy's page) was a JsonException that stopped the agent.</summary>
    [Fact]
    public async Task AnAnswerThatIsNotJson_IsAReportErrorNamingTheCall()
    {
        using var http = new HttpClient(new ProxyPage()) { BaseAddress = new Uri("http://placement.invalid/") };
        var builder = NicHost();

        var error = await Should.ThrowAsync<PlacementReportException>(ReportAsync(http, "cmp-proxy", builder, builder.Build()));

        error.Status.ShouldBe(HttpStatusCode.BadGateway);
        error.Message.ShouldBe("Placement answered 200 to GET /resource_providers?name=cmp-proxy with text that is not JSON: <html>maintenance</html>");
    }

    /// <summary>An error whose code is no string (or text .NET cannot read) was an InvalidOperationException.</summary>
    [Theory]
    [InlineData("""{"errors": [{"code": 7, "detail": "gone"}]}""", "gone")]
    [InlineData("""{"errors": [{"code": "x", "detail": "\ud800"}]}""", """{"errors": [{"code": "x", "detail": "\ud800"}]} (x)""")]
    public async Task AnErrorOfAnotherShape_IsAReportErrorWithWhatCanBeRead(string body, string said)
    {
        using var http = new HttpClient(new ProxyPage(HttpStatusCode.Conflict, body)) { BaseAddress = new Uri("http://placement.invalid/") };
        var builder = NicHost();

        var error = await Should.ThrowAsync<PlacementReportException>(ReportAsync(http, "cmp-proxy", builder, builder.Build()));

        error.Message.ShouldBe($"Placement answered 409 to GET /resource_providers?name=cmp-proxy: {said}");
    }

    /// <summary>An answer of another shape was a cast exception that stopped the agent; now a report error naming the
    /// call and the field.</summary>
    [Theory]
    [InlineData("""{"resource_providers": [{"uuid": 7}]}""", "resource_providers?name=cmp-proxy", "resource_providers[0].uuid is not text")]
    [InlineData("""{"resource_providers": {}}""", "resource_providers?name=cmp-proxy", "resource_providers is not a list")]
    [InlineData("[]", "resource_providers?name=cmp-proxy", "resource_providers is not a list")]
    [InlineData("""{"resource_providers": [{"uuid": "r", "name": "cmp-proxy", "generation": "1"}]}""", "resource_providers?in_tree=r",
        "resource_providers[0].generation is not an integer")]
    public async Task AnAnswerOfAnotherShape_IsAReportErrorNamingTheCallAndField(string body, string call, string said)
    {
        using var http = new HttpClient(new ProxyPage(HttpStatusCode.OK, body)) { BaseAddress = new Uri("http://placement.invalid/") };
        var builder = NicHost();

        var error = await Should.ThrowAsync<PlacementReportException>(ReportAsync(http, "cmp-proxy", builder, builder.Build()));

        error.Status.ShouldBe(HttpStatusCode.BadGateway);
        error.Message.ShouldBe($"Placement answered 200 to GET /{call} with JSON of another shape: {said}");
    }

    /// <summary>Any JSON Placement might answer (random trees over the names the reporter reads, every call answered
    /// anew): the round succeeds or fails as a report error, never with another exception.</summary>
    [Fact]
    public async Task AnyAnswer_IsReadOrAReportError()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            using var http = new HttpClient(new RandomPlacement(random)) { BaseAddress = new Uri("http://placement.invalid/") };
            var builder = NicHost();
            try
            {
                await ReportAsync(http, "cmp-fuzz", builder, builder.Build());
            }
            catch (PlacementReportException)
            {
                // the expected way to fail
            }
        }
    }

    private sealed class RandomPlacement(Random random) : HttpMessageHandler
    {
        private static readonly string[] _names =
        [
            "resource_providers", "uuid", "name", "generation", "allocations", "resources", "inventories", "total", "max_unit",
            "reserved", "traits", "resource_provider_generation", "project_id", "user_id", "consumer_generation", "consumer_type",
        ];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Node(3)?.ToJsonString() ?? "null") });

        private JsonNode? Node(int depth) => random.Next(depth > 0 ? 7 : 4) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(-2, 3)),
            2 => JsonValue.Create(_names[random.Next(_names.Length)]),
            3 => JsonValue.Create(random.Next(2) == 0),
            4 => new JsonArray([.. Enumerable.Range(0, random.Next(3)).Select(_ => Node(depth - 1))]),
            _ => new JsonObject(Enumerable.Range(0, random.Next(4)).Select(_ => _names[random.Next(_names.Length)]).Distinct()
                .Select(name => KeyValuePair.Create(name, Node(depth - 1)))),
        };
    }

    private sealed class ProxyPage(HttpStatusCode status = HttpStatusCode.OK, string body = "<html>maintenance</html>") : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
    }

    private async Task<JsonObject> ProviderAsync(PlacementClient client, string name)
    {
        var found = (await client.GetAsync($"resource_providers?name={name}")).Json["resource_providers"]!.AsArray();
        return Assert.Single(found)!.AsObject();
    }

    [Fact]
    public async Task PM18_FirstReport_CreatesTheTreeAndGivesEachPoolItsProvider()
    {
        using var http = Http();
        using var client = server.Client();
        var builder = NicHost();
        var tracker = builder.Build();

        var report = await ReportAsync(http, "report-a", builder, tracker);

        var vfParent = await ProviderAsync(client, "report-a_0000:81:00.0");
        ((string?)vfParent["parent_provider_uuid"]).ShouldBe(report.ComputeNodeUuid);
        var inventory = (await client.GetAsync($"resource_providers/{vfParent["uuid"]}/inventories")).Json["inventories"]!;
        ((int)inventory["CUSTOM_PCI_8086_1515"]!["total"]!).ShouldBe(2);
        ((int)inventory["CUSTOM_PCI_8086_1515"]!["max_unit"]!).ShouldBe(2);
        var traits = (await client.GetAsync($"resource_providers/{vfParent["uuid"]}/traits")).Json["traits"]!.AsArray()
            .Select(t => (string)t!).Order();
        traits.ShouldBe(["COMPUTE_MANAGED_PCI_DEVICE", "CUSTOM_FAST", "OWNER_NOVA"]);
        tracker.Pools.Pools.ShouldAllBe(p => p.RpUuid != null);
        report.Rounds.ShouldBe(1);
    }

    [Fact]
    public async Task PM17_ConfigurationEmptied_ProvidersDeleted()
    {
        using var http = Http();
        using var client = server.Client();
        var builder = NicHost();
        var tracker = builder.Build();
        await ReportAsync(http, "report-b", builder, tracker);

        tracker.Sync([]);
        var report = await ReportAsync(http, "report-b", builder, tracker);

        report.Plan.DeletedProviders.Order().ShouldBe(["report-b_0000:71:00.0", "report-b_0000:81:00.0"]);
        var left = (await client.GetAsync($"resource_providers?in_tree={report.ComputeNodeUuid}")).Json["resource_providers"]!.AsArray();
        left.Select(p => (string)p!["name"]!).ShouldBe(["report-b"]);
    }

    [Fact]
    public async Task PM21_AnOwnerMissingItsPciAllocation_IsHealedWithoutLosingTheRest()
    {
        using var http = Http();
        using var client = server.Client();
        var builder = NicHost();
        var tracker = builder.Build();
        var first = await ReportAsync(http, "report-c", builder, tracker);
        await client.SetInventoryAsync(first.ComputeNodeUuid, ("VCPU", 8));
        var instance = PlacementSetup.NewUuid();
        (await client.PutAsync($"allocations/{instance}", PlacementSetup.Allocation(null, (first.ComputeNodeUuid, "VCPU", 2))))
            .Status.ShouldBe(HttpStatusCode.NoContent);

        tracker.Find("0000:81:10.1")!.Allocate(instance);
        var report = await ReportAsync(http, "report-c", builder, tracker);

        report.Plan.AllocationsChanged.ShouldBeTrue();
        report.Rounds.ShouldBe(1);
        var vfParent = (string)(await ProviderAsync(client, "report-c_0000:81:00.0"))["uuid"]!;
        var healed = (await client.GetAsync($"allocations/{instance}")).Json;
        ((int)healed["allocations"]![vfParent]!["resources"]!["CUSTOM_PCI_8086_1515"]!).ShouldBe(1);
        ((int)healed["allocations"]![first.ComputeNodeUuid]!["resources"]!["VCPU"]!).ShouldBe(2);
        ((string)healed["project_id"]!).ShouldBe("p1");
    }

    [Fact]
    public async Task PM19_OneTimeUseDevice_ReservedOnceUsedAndNeverLoweredByTheCompute()
    {
        using var http = Http();
        using var client = server.Client();
        var builder = NicHost();
        var tracker = builder.Build();
        await ReportAsync(http, "report-d", builder, tracker);
        var otu = (string)(await ProviderAsync(client, "report-d_0000:71:00.0"))["uuid"]!;
        var device = tracker.Find("0000:71:00.0")!;

        device.Allocate(PlacementSetup.NewUuid());
        await ReportAsync(http, "report-d", builder, tracker);
        var reserved = async () => (int)(await client.GetAsync($"resource_providers/{otu}/inventories"))
            .Json["inventories"]!["CUSTOM_PCI_DEAD_BEEF"]!["reserved"]!;
        (await reserved()).ShouldBe(1);

        tracker.FreeInstance(device.InstanceId!);
        device.Free();
        await ReportAsync(http, "report-d", builder, tracker);
        (await reserved()).ShouldBe(1);
    }

    [Fact]
    public async Task PM18_AConcurrentWriterBumpsAGeneration_TheRoundIsReadAgainAndSucceeds()
    {
        using var other = server.Client();
        using var handler = new InterferingHandler(other) { InnerHandler = new HttpClientHandler() };
        using var http = Http(handler);
        var builder = NicHost();
        var tracker = builder.Build();

        var report = await ReportAsync(http, "report-e", builder, tracker);

        handler.Interfered.ShouldBeTrue();
        report.Rounds.ShouldBe(2);
        var traits = (await other.GetAsync($"resource_providers/{tracker.Find("0000:71:00.0")!.ProviderUuid}/traits")).Json["traits"]!
            .AsArray().Select(t => (string)t!);
        traits.ShouldContain("HW_PCI_ONE_TIME_USE");
    }

    /// <summary>Before the first inventory write, another client changes that provider's traits, which bumps its
    /// generation: the reporter's write then meets a stale generation (409 <c>placement.concurrent_update</c>).</summary>
    private sealed class InterferingHandler(PlacementClient other) : DelegatingHandler
    {
        public bool Interfered { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!Interfered && request.Method == HttpMethod.Put && request.RequestUri!.AbsolutePath.EndsWith("/inventories", StringComparison.Ordinal))
            {
                Interfered = true;
                var provider = request.RequestUri.AbsolutePath.Split('/')[^2];
                await other.SetTraitsAsync(provider, "HW_NIC_SRIOV");
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
