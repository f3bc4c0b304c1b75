using System.Text.Json.Nodes;
using PciPassthrough.Host.Agent;
using PciPassthrough.Host.Discovery;

namespace PciPassthrough.Cli.Commands;

/// <summary>
/// <c>pcictl serve --demo</c>: a populated controller from a fresh clone. In-process agents describe the fake hosts
/// under <c>examples/fleet/</c> (trees written from the test fixtures, kept in step by a test) and this machine's own
/// <c>/sys</c>, all with <c>examples/demo-nova.conf</c>; demo flavors and images are created through the API.
/// </summary>
internal static class DemoFleet
{
    public const string ConfigFileName = "demo-nova.conf", FleetDirectory = "fleet";

    /// <summary>The fake hosts, each a directory of <c>examples/fleet/</c> holding <c>sys/</c> and <c>proc/</c>.</summary>
    public static IReadOnlyList<string> FixtureHosts { get; } = ["cmp-flat", "cmp-gpu", "cmp-sriov"];

    public const string NotFound = "pcictl serve --demo: no examples/ directory with fleet/ and demo-nova.conf above " +
        "the program or the current directory; run it from the repository (./pcictl serve --demo).";

    /// <summary>The demo flavors: plain, two X710 VFs, one A100, and one asking for more A100s than the fleet has.</summary>
    public static IReadOnlyList<JsonObject> Flavors =>
    [
        Flavor("m1.small", 1, 512),
        Flavor("vf.x710", 2, 2048, ("pci_passthrough:alias", "x710-vf:2")),
        Flavor("gpu.a100", 4, 8192, ("pci_passthrough:alias", "a100:1"), ("hw:numa_nodes", "1")),
        Flavor("gpu.a100x4", 16, 65536, ("pci_passthrough:alias", "a100:4")),
    ];

    public static IReadOnlyList<JsonObject> Images =>
    [
        new() { ["name"] = "cirros", ["properties"] = new JsonObject() },
        new() { ["name"] = "cirros-viommu", ["properties"] = new JsonObject { ["hw_viommu_model"] = "virtio", ["hw_machine_type"] = "q35" } },
    ];

    /// <summary>The repository's <c>examples/</c> directory, looked for above the program and above the current
    /// directory; null when neither has one with the demo fleet.</summary>
    public static string? FindExamples() =>
        new[] { AppContext.BaseDirectory, Environment.CurrentDirectory }
            .SelectMany(start => Ancestors(new DirectoryInfo(start)))
            .Select(dir => Path.Combine(dir.FullName, "examples"))
            .FirstOrDefault(examples => Directory.Exists(Path.Combine(examples, FleetDirectory))
                && File.Exists(Path.Combine(examples, ConfigFileName)));

    /// <summary>Seeds the flavors and images (those already there are kept), runs every agent's first round, then
    /// leaves the agents running every <paramref name="interval"/> until <paramref name="cancellationToken"/> ends.</summary>
    /// <returns>The names of the hosts whose first round was accepted.</returns>
    /// <remarks>Of the controller's <paramref name="authTokens"/> the first one's token is used (it should be an
    /// admin's); none means a loopback controller in noauth2 mode, where <c>admin</c> is the admin.</remarks>
    public static async Task<IReadOnlyList<string>> StartAsync(Uri controller, string examples, IReadOnlyList<string>? authTokens,
        TimeSpan interval, TextWriter error, CancellationToken cancellationToken)
    {
        var token = authTokens is [var given, ..] ? given.Split(':', '@')[0] : "admin";
        using (var client = new ControllerClient(controller, token))
        {
            foreach (var (collection, item) in Flavors.Select(f => ("flavors", f)).Concat(Images.Select(i => ("images", i))))
            {
                var response = await client.SendAsync(HttpMethod.Post, $"v1/{collection}", item, cancellationToken);
                if (!response.IsSuccess && response.Status != System.Net.HttpStatusCode.Conflict)
                {
                    await error.WriteLineAsync($"pcictl serve --demo: creating {collection} {item["name"]} failed: {response.ErrorMessage}");
                }
            }
        }

        var config = Path.Combine(examples, ConfigFileName);
        var hosts = FixtureHosts.Select(name => (Name: name, Root: Path.Combine(examples, FleetDirectory, name)))
            .Append((Name: HostInventory.HostName(SysfsPaths.DefaultRoot), Root: SysfsPaths.DefaultRoot))
            .ToList();
        var agents = hosts.Select(host => (host.Name, Agent: new Agent(controller, host.Root, config, host.Name, token, TextWriter.Null, error, hostCommands: null)))
            .ToList();
        var first = await Task.WhenAll(agents.Select(a => a.Agent.RunAsync(once: true, interval, cancellationToken)));
        foreach (var (_, agent) in agents)
        {
            _ = Task.Run(() => agent.RunAsync(once: false, interval, cancellationToken), cancellationToken);
        }

        return [.. agents.Where((_, i) => first[i] == ExitCodes.Ok).Select(a => a.Name)];
    }

    /// <summary>What the demo holds, and the first commands to try.</summary>
    public static async Task ReportAsync(IReadOnlyList<string> hosts, TextWriter output)
    {
        await output.WriteLineAsync($"pcictl serve --demo: hosts {string.Join(", ", hosts)}; flavors "
            + $"{string.Join(", ", Flavors.Select(f => f["name"]))}; images {string.Join(", ", Images.Select(i => i["name"]))}");
        await output.WriteLineAsync("  try: ./pcictl host list; ./pcictl server create vm1 --flavor gpu.a100; ./pcictl server show vm1");
    }

    private static JsonObject Flavor(string name, int vcpus, int ram, params (string Key, string Value)[] extraSpecs)
    {
        var specs = new JsonObject();
        foreach (var (key, value) in extraSpecs)
        {
            specs[key] = value;
        }

        return new JsonObject { ["name"] = name, ["vcpus"] = vcpus, ["ram"] = ram, ["extra_specs"] = specs };
    }

    private static IEnumerable<DirectoryInfo> Ancestors(DirectoryInfo? dir)
    {
        for (; dir is not null; dir = dir.Parent)
        {
            yield return dir;
        }
    }
}
