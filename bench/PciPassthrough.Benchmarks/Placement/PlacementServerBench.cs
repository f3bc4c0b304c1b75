using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PciPassthrough.Server;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Benchmarks.Placement;

/// <summary>
/// Issue 6 targets for the whole server (Kestrel on 127.0.0.1, real HTTP, the real database), timed with a stopwatch
/// because each run needs a fresh database: <c>claims</c> — 2 concurrent writers claiming one VF at a time on one
/// host's 8 PFs ≥ 2,000 claims/s on SQLite and on PostgreSQL, zero lost, zero double-booked (<c>claims-pci</c>: the
/// same of a <c>CUSTOM_PCI_*</c> class, as Nova's PCI-in-Placement claims); <c>stream</c> — the
/// unlimited 1,000 hosts × 8 PF × 64 VF, 4 isolated single-VF groups answer (1.68 M candidates) in ≤ 10 s with
/// the process's RSS &lt; 500 MB.
/// Run: <c>dotnet run -c Release -- placement-server claims|claims-pci|stream [--database "Host=…;Username=…"]
/// [--client lean|http-client] [--endpoint URL]</c> (the PostgreSQL connection string names a server: a scratch
/// database is created and dropped there; the claim writers use a <see cref="LeanHttpClient"/> unless told to use
/// <see cref="HttpClient"/>; <c>--endpoint</c> runs the claim race against another Placement-compatible service, e.g.
/// OpenStack Placement on the same machine, to give the ratio between the two).
/// </summary>
public static class PlacementServerBench
{
    private const int Pfs = 8, VfsPerPf = 512, Writers = 2, ClaimsPerWriter = 2_500, TimedRuns = 3;

    /// <summary>An Intel X710 VF as Nova's PCI-in-Placement names its class (<c>CUSTOM_PCI_{vendor}_{product}</c>).</summary>
    private const string PciClass = "CUSTOM_PCI_8086_154C";

    public static async Task<int> RunAsync(string[] args)
    {
        var postgres = args.SkipWhile(a => a != "--database").Skip(1).FirstOrDefault();
        var client = args.SkipWhile(a => a != "--client").Skip(1).FirstOrDefault() ?? "lean";
        if (client is not ("lean" or "http-client"))
        {
            await Console.Error.WriteLineAsync($"--client {client}: expected lean (default) or http-client");
            return 2;
        }

        var endpoint = args.SkipWhile(a => a != "--endpoint").Skip(1).FirstOrDefault();
        if (endpoint is not null && (!Uri.TryCreate(endpoint.TrimEnd('/') + "/", UriKind.Absolute, out var external)
            || external.Scheme != Uri.UriSchemeHttp || !IPAddress.TryParse(external.Host, out _) || postgres is not null))
        {
            await Console.Error.WriteLineAsync($"--endpoint {endpoint}: expected http://IP:PORT/PATH of a Placement-compatible service " +
                "(e.g. http://127.0.0.1:8778/), without --database");
            return 2;
        }

        var resourceClass = args.FirstOrDefault() == "claims-pci" ? PciClass : "SRIOV_NET_VF";
        if (args.FirstOrDefault() is "claims" or "claims-pci" && endpoint is not null)
        {
            return await ClaimsAsync(new Uri(endpoint.TrimEnd('/') + "/"), $"the service at {endpoint}", resourceClass, client == "lean");
        }

        await using var store = await ScratchStore.CreateAsync(postgres);
        switch (args.FirstOrDefault())
        {
            case "claims" or "claims-pci":
                await using (var app = await StartAsync(store.Options))
                {
                    return await ClaimsAsync(new Uri(app.BoundAddress(), "/placement/"), Engine(store.Options), resourceClass, client == "lean");
                }

            case "stream":
                return await StreamAsync(store.Options);
            default:
                await Console.Error.WriteLineAsync("usage: placement-server claims|claims-pci|stream [--database POSTGRES-CONNECTION] " +
                    "[--client lean|http-client] [--endpoint URL]");
                return 2;
        }
    }

    /// <summary>Both writers claim one VF (of <paramref name="resourceClass"/>) on a random PF of the same host until
    /// 5,000 claims were tried against a capacity of 4,096: every VF must be granted exactly once. The race runs
    /// <see cref="TimedRuns"/> times, each on a fresh host, and the median is the figure: one run lasts 2–3 s, and on a
    /// shared machine a single slow disk flush or busy neighbour moves one run by half.</summary>
    private static async Task<int> ClaimsAsync(Uri placement, string engine, string resourceClass, bool lean)
    {
        using var setup = Client(placement);
        if (resourceClass.StartsWith("CUSTOM_", StringComparison.Ordinal))
        {
            await SendAsync(setup, HttpMethod.Put, $"resource_classes/{resourceClass}");
        }

        // The same race on other hosts first, until tiered JIT has (nearly) finished with the claim path: on a
        // loaded machine its background compiles lag far behind, and a timed run would pay for them.
        for (var round = 0; round < 8; round++)
        {
            var compiled = JitInfo.GetCompiledMethodCount();
            await RaceAsync(placement, await CreateHostAsync(setup, $"warm-up-{round}", 250, resourceClass), resourceClass, 1_000, lean);
            if (JitInfo.GetCompiledMethodCount() - compiled < 50)
            {
                break;
            }
        }

        var rates = new List<double>();
        var correct = true;
        for (var run = 1; run <= TimedRuns; run++)
        {
            var pfs = await CreateHostAsync(setup, $"bench-host-{run}", VfsPerPf, resourceClass);
            await Console.Error.WriteLineAsync($"warmed up; timed run {run} starts"); // e.g. to attach a profiler now
            var (rate, ok) = await TimedClaimsAsync(placement, setup, pfs, resourceClass, lean, $"{engine}, run {run} of {TimedRuns}");
            rates.Add(rate);
            correct &= ok;
        }

        rates.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"claims of {resourceClass} on {engine}: median {rates[rates.Count / 2]:F0} granted/s of {TimedRuns} runs " +
            $"(min {rates[0]:F0}, max {rates[^1]:F0})"));
        Console.WriteLine(correct ? "zero lost, zero double-booked" : "WRONG: lost or double-booked claims");
        return correct ? 0 : 1;
    }

    /// <summary>One timed race on <paramref name="pfs"/>, then the count of what was stored: granted claims per second,
    /// and whether every VF was granted exactly once.</summary>
    private static async Task<(double Rate, bool Correct)> TimedClaimsAsync(Uri placement, HttpClient setup, List<string> pfs, string resourceClass, bool lean, string label)
    {
        var jit = (Count: JitInfo.GetCompiledMethodCount(), Time: JitInfo.GetCompilationTime());
        var (allocated, collections) = (GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var statuses = await RaceAsync(placement, pfs, resourceClass, ClaimsPerWriter, lean);
        var elapsed = stopwatch.Elapsed;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        (allocated, collections) = (GC.GetTotalAllocatedBytes(precise: true) - allocated, GC.CollectionCount(0) - collections);
        jit = (JitInfo.GetCompiledMethodCount() - jit.Count, JitInfo.GetCompilationTime() - jit.Time);

        var granted = statuses.Count(s => s == HttpStatusCode.NoContent);
        var refused = statuses.Count(s => s == HttpStatusCode.Conflict);
        long used = 0, consumers = 0;
        foreach (var pf in pfs)
        {
            using var usages = System.Text.Json.JsonDocument.Parse(await SendAsync(setup, HttpMethod.Get, $"resource_providers/{pf}/usages"));
            used += usages.RootElement.GetProperty("usages").GetProperty(resourceClass).GetInt64();
            using var allocations = System.Text.Json.JsonDocument.Parse(await SendAsync(setup, HttpMethod.Get, $"resource_providers/{pf}/allocations"));
            consumers += allocations.RootElement.GetProperty("allocations").EnumerateObject().Count();
        }

        var capacity = Pfs * VfsPerPf;
        var rate = granted / elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"claims of {resourceClass} on {label}: {statuses.Count} tried by {Writers} writers in {elapsed.TotalSeconds:F2} s, " +
            $"{granted} granted ({rate:F0}/s), {refused} refused with 409, " +
            $"{statuses.Count - granted - refused} other; stored: {used} VFs used by {consumers} consumers of {capacity}; " +
            $"{cpu.TotalMilliseconds / statuses.Count:F2} ms of this process's CPU and {allocated / 1024.0 / statuses.Count:F1} KB allocated per try " +
            $"({collections} gen-0 collections) " +
            $"(JIT meanwhile: {jit.Count} methods, {jit.Time.TotalSeconds:F2} s)"));
        return (rate, granted == capacity && used == capacity && consumers == capacity && granted + refused == statuses.Count);
    }

    /// <summary>A root provider with <see cref="Pfs"/> children of <paramref name="vfs"/> VFs each; the PFs' uuids.</summary>
    private static async Task<List<string>> CreateHostAsync(HttpClient client, string name, int vfs, string resourceClass)
    {
        var host = await CreateProviderAsync(client, name, null);
        var pfs = new List<string>();
        for (var pf = 0; pf < Pfs; pf++)
        {
            pfs.Add(await CreateProviderAsync(client, $"{name}-pf{pf}", host));
            await SendAsync(client, HttpMethod.Put, $"resource_providers/{pfs[^1]}/inventories",
                $$"""{"resource_provider_generation": 0, "inventories": {"{{resourceClass}}": {"total": {{vfs}} } } }""");
        }

        return pfs;
    }

    /// <summary><see cref="Writers"/> clients each <c>PUT /allocations/{new consumer}</c> one VF on a random PF, over a
    /// <see cref="LeanHttpClient"/> or (<paramref name="lean"/> false) an <see cref="HttpClient"/>.</summary>
    private static async Task<List<HttpStatusCode>> RaceAsync(Uri placement, List<string> pfs, string resourceClass, int claimsPerWriter, bool lean)
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            await using var leanClient = lean ? await LeanHttpClient.ConnectAsync(placement, CancellationToken.None) : null;
            using var client = lean ? null : Client(placement);
            var random = new Random(writer);
            var statuses = new List<HttpStatusCode>(claimsPerWriter);
            for (var i = 0; i < claimsPerWriter; i++)
            {
                var path = $"allocations/{Guid.NewGuid()}";
                var claim = Claim(pfs[random.Next(Pfs)], resourceClass);
                if (leanClient is not null)
                {
                    statuses.Add(await leanClient.PutAsync(placement.AbsolutePath + path, claim, CancellationToken.None));
                    continue;
                }

                using var response = await client!.PutAsync(path, Json(claim));
                statuses.Add(response.StatusCode);
            }

            return statuses;
        })));
        return [.. outcomes.SelectMany(s => s)];
    }

    private static string Claim(string pf, string resourceClass) =>
        $$"""{"allocations": {"{{pf}}": {"resources": {"{{resourceClass}}": 1} } }, "project_id": "p", "user_id": "u", "consumer_generation": null, "consumer_type": "INSTANCE"}""";

    /// <summary>Seeds the fleet straight into the database (creating 9,000 providers over HTTP would time the
    /// setup), then reads the unlimited answer as a client would, sampling the process's RSS.</summary>
    private static async Task<int> StreamAsync(PlacementServerOptions options)
    {
        const int Hosts = 1_000, VfsPerHostPf = 64;
        await using var app = await StartAsync(options);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlacementDb>();
            for (var h = 0; h < Hosts; h++)
            {
                var root = Uuid(h, 0);
                db.Providers.Add(new ProviderRow { Uuid = root, Name = $"host-{h:d4}", RootUuid = root, UpdatedAt = DateTime.UtcNow });
                for (var pf = 1; pf <= Pfs; pf++)
                {
                    var uuid = Uuid(h, pf);
                    db.Providers.Add(new ProviderRow { Uuid = uuid, Name = $"host-{h:d4}-pf{pf}", ParentUuid = root, RootUuid = root, UpdatedAt = DateTime.UtcNow });
                    db.Inventories.Add(new InventoryRow
                    {
                        ProviderUuid = uuid,
                        ResourceClass = "SRIOV_NET_VF",
                        Total = VfsPerHostPf,
                        MinUnit = 1,
                        MaxUnit = VfsPerHostPf,
                        StepSize = 1,
                        AllocationRatio = 1.0,
                    });
                }
            }

            await db.SaveChangesAsync();
        }

        using var client = Client(new Uri(app.BoundAddress(), "/placement/"));
        client.Timeout = TimeSpan.FromMinutes(10);
        var query = string.Join('&', Enumerable.Range(1, 4).Select(g => $"resources{g}=SRIOV_NET_VF:1")) + "&group_policy=isolate";
        await Console.Error.WriteLineAsync("fleet stored; streaming starts"); // e.g. to attach a profiler now
        using var sampler = new RssSampler();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.GetAsync($"allocation_candidates?{query}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var (bytes, candidates) = await CountAsync(body);
        var elapsed = stopwatch.Elapsed;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stream on {Engine(options)}: {candidates:N0} candidates, {bytes / 1e6:F0} MB of JSON in {elapsed.TotalSeconds:F2} s " +
            $"({cpu.TotalSeconds:F2} s of CPU); " +
            $"process RSS peak {sampler.PeakBytes / 1e6:F0} MB while streaming (server and client in one process)"));
        return candidates == Hosts * 8 * 7 * 6 * 5 ? 0 : 1;
    }

    /// <summary>Reads the body in 64 KB chunks, counting bytes and the <c>"mappings"</c> keys (one per candidate).</summary>
    private static async Task<(long Bytes, long Candidates)> CountAsync(Stream body)
    {
        var marker = "\"mappings\""u8.ToArray();
        var buffer = new byte[64 * 1024 + marker.Length];
        long bytes = 0, candidates = 0;
        var carried = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(carried, buffer.Length - carried))) > 0)
        {
            bytes += read;
            var window = buffer.AsSpan(0, carried + read);
            for (var at = window.IndexOf(marker); at >= 0; at = NextIndex(window, marker, at))
            {
                candidates++;
            }

            carried = Math.Min(marker.Length - 1, window.Length);
            window[^carried..].CopyTo(buffer);
        }

        return (bytes, candidates);
    }

    private static int NextIndex(ReadOnlySpan<byte> window, ReadOnlySpan<byte> marker, int at)
    {
        var next = window[(at + 1)..].IndexOf(marker);
        return next < 0 ? -1 : at + 1 + next;
    }

    private static string Uuid(int host, int pf) => $"00000000-0000-0000-{pf:x4}-{host:x12}";

    private static string Engine(PlacementServerOptions options) => options.UsesPostgres ? "PostgreSQL" : "SQLite";

    private static async Task<WebApplication> StartAsync(PlacementServerOptions options)
    {
        var app = await PlacementServer.BuildAsync(options, CancellationToken.None);
        await app.StartAsync();
        return app;
    }

    /// <summary>A client as a service configures one: no redirects, cookies or proxy lookup (the claim clients stand
    /// in for Nova's scheduler on other machines; their cost here shares the server's 2 cores).</summary>
    private static HttpClient Client(Uri placement)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false };
        var client = new HttpClient(handler) { BaseAddress = placement };
        client.DefaultRequestHeaders.Add("x-auth-token", "admin");
        client.DefaultRequestHeaders.Add("OpenStack-API-Version", "placement latest");
        return client;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string> CreateProviderAsync(HttpClient client, string name, string? parent)
    {
        var uuid = Guid.NewGuid().ToString();
        var parentJson = parent is null ? "null" : $"\"{parent}\"";
        await SendAsync(client, HttpMethod.Post, "resource_providers", $$"""{"name": "{{name}}", "uuid": "{{uuid}}", "parent_provider_uuid": {{parentJson}}}""");
        return uuid;
    }

    private static async Task<string> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{method} {path}: {response.StatusCode} {text}");
    }

    /// <summary>A SQLite file in a temp directory, or a scratch database on the PostgreSQL server named.</summary>
    private sealed class ScratchStore : IAsyncDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("pcictl-bench-").FullName;
        private readonly string? _admin;
        private readonly string _name = $"pcipassthrough_bench_{Guid.NewGuid():N}";

        private ScratchStore(string? admin)
        {
            _admin = admin;
            Options = new PlacementServerOptions("127.0.0.1:0", _directory,
                admin is null ? null : new NpgsqlConnectionStringBuilder(admin) { Database = _name }.ConnectionString);
        }

        public PlacementServerOptions Options { get; }

        public static async Task<ScratchStore> CreateAsync(string? admin)
        {
            var store = new ScratchStore(admin);
            await store.ExecuteAsync($"CREATE DATABASE {store._name}");
            return store;
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await ExecuteAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
            Directory.Delete(_directory, recursive: true);
        }

        private async Task ExecuteAsync(string sql)
        {
            if (_admin is null)
            {
                return;
            }

            await using var connection = new NpgsqlConnection(_admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Samples <see cref="Environment.WorkingSet"/> every 50 ms until disposed.</summary>
    private sealed class RssSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public RssSampler() => _timer = new Timer(_ => Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), Environment.WorkingSet)),
            null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));

        public long PeakBytes => Interlocked.Read(ref _peak);

        public void Dispose() => _timer.Dispose();
    }
}
