using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PciPassthrough.Server.Tests.EndToEnd;

/// <summary>Issue 6: the real OpenStack client (Debian <c>python3-openstackclient</c> + <c>python3-osc-placement</c>,
/// which <c>.ci/run</c> installs) drives our server as it would drive Placement, with the loopback admin token.</summary>
public sealed class OpenStackClientTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    private static readonly TimeSpan _commandTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CreateProviders_SetInventoryAndTraits_ListCandidates()
    {
        var host = (await OpenStackAsync("resource", "provider", "create", "compute-1"))["uuid"]!.GetValue<string>();
        var pfs = new List<string>();
        foreach (var name in new[] { "compute-1-pf0", "compute-1-pf1" })
        {
            var pf = await OpenStackAsync("resource", "provider", "create", name, "--parent-provider", host);
            pf["root_provider_uuid"]!.GetValue<string>().ShouldBe(host);
            pfs.Add(pf["uuid"]!.GetValue<string>());
            var inventory = await OpenStackAsync("resource", "provider", "inventory", "set", pfs[^1], "--resource", "SRIOV_NET_VF=8");
            inventory.AsArray().Select(i => (i!["resource_class"]!.GetValue<string>(), i["total"]!.GetValue<int>()))
                .ShouldBe([("SRIOV_NET_VF", 8)]);
        }

        await RunAsync("trait", "create", "CUSTOM_PHYSNET_A");
        var traits = await OpenStackAsync("resource", "provider", "trait", "set", pfs[0], "--trait", "CUSTOM_PHYSNET_A", "--trait", "HW_NIC_SRIOV");
        traits.AsArray().Select(t => t!["name"]!.GetValue<string>()).ShouldBe(["CUSTOM_PHYSNET_A", "HW_NIC_SRIOV"], ignoreOrder: true);

        var any = await OpenStackAsync("allocation", "candidate", "list", "--resource", "SRIOV_NET_VF=2");
        any.AsArray().Select(c => c!["resource provider"]!.GetValue<string>()).ShouldBe(pfs, ignoreOrder: true);

        var onPhysnet = (await OpenStackAsync("allocation", "candidate", "list", "--resource", "SRIOV_NET_VF=2",
            "--required", "CUSTOM_PHYSNET_A")).AsArray().ShouldHaveSingleItem()!;
        onPhysnet["resource provider"]!.GetValue<string>().ShouldBe(pfs[0]);
        onPhysnet["allocation"]!.GetValue<string>().ShouldBe("SRIOV_NET_VF=2");
        onPhysnet["inventory used/capacity"]!.GetValue<string>().ShouldBe("SRIOV_NET_VF=0/8");
        // the client prints the summary's traits as Placement lists them: standard before custom (trait-id order)
        onPhysnet["traits"]!.GetValue<string>().ShouldBe("HW_NIC_SRIOV,CUSTOM_PHYSNET_A");
    }

    /// <summary>Runs <c>openstack … -f json</c> and parses what it prints.</summary>
    private async Task<JsonNode> OpenStackAsync(params string[] arguments) =>
        JsonNode.Parse(await RunAsync([.. arguments, "-f", "json"]))!;

    /// <summary>Runs <c>openstack</c> against the server (no Keystone: the admin token and the endpoint are given, as
    /// to Placement in a no-auth deployment) and returns its standard output.</summary>
    private async Task<string> RunAsync(params string[] arguments)
    {
        var executable = Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "openstack")).FirstOrDefault(File.Exists);
        Assert.SkipWhen(executable is null,
            "the openstack command is missing: .ci/run installs python3-openstackclient and python3-osc-placement");

        var start = new ProcessStartInfo(executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--os-auth-type", "admin_token", "--os-token", "admin",
                "--os-endpoint", server.BaseAddress.ToString().TrimEnd('/'), "--os-placement-api-version", "1.39",
            },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(v => v.StartsWith("OS_", StringComparison.Ordinal)))
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(_commandTimeout);
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.ShouldBe(0, $"openstack {string.Join(' ', arguments)}: {await error}");
        return await output;
    }
}
