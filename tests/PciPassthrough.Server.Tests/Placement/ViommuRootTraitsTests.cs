using System.Text.Json.Nodes;
using PciPassthrough.Core;
using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Placement;
using PciPassthrough.Host.Placement;
using PciPassthrough.Testing.Devices;

namespace PciPassthrough.Server.Tests.Placement;

/// <summary>07 LV-18 against our own Placement: the compute's <see cref="PlacementReporter"/> puts the vIOMMU model
/// traits its libvirt supports on the compute node provider, removes those it no longer supports, keeps the rest.</summary>
public sealed class ViommuRootTraitsTests(PlacementServerFixture server) : IClassFixture<PlacementServerFixture>
{
    private static HypervisorCapabilities Hypervisor(string libvirt, params string[] architectures) =>
        new(new HashSet<string>(architectures, StringComparer.Ordinal), Version.Parse(libvirt));

    private async Task<string> ReportAsync(string host, HypervisorCapabilities? hypervisor)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Add("x-auth-token", "admin");
        var builder = new PciHostBuilder().WithReportInPlacement().WithSpec("""{"vendor_id": "8086", "product_id": "1515"}""").WithPfAndVfs("0000:81:00.0", 1);
        var tracker = builder.Build();
        var view = PciPlacementView.Build(host, builder.ParseSpecs(), tracker.Devices, NovaRelease.Latest);
        return (await new PlacementReporter(http).ReportAsync(host, view, tracker.Pools, [], hypervisor, TestContext.Current.CancellationToken))
            .ComputeNodeUuid;
    }

    private async Task<List<string>> RootTraitsAsync(string root)
    {
        using var client = server.Client();
        return [.. (await client.GetAsync($"resource_providers/{root}/traits")).Json["traits"]!.AsArray().Select(t => (string)t!).Order()];
    }

    [Fact]
    public async Task LV18_RootProvider_GetsTheTraitsOfItsHypervisor_AndLosesThoseItNoLongerHas()
    {
        var root = await ReportAsync("viommu-a", Hypervisor("8.3.0", "x86_64", "i686"));
        (await RootTraitsAsync(root)).ShouldBe(["COMPUTE_VIOMMU_MODEL_AUTO", "COMPUTE_VIOMMU_MODEL_INTEL", "COMPUTE_VIOMMU_MODEL_VIRTIO"]);

        using (var client = server.Client())
        {
            var current = (await client.GetAsync($"resource_providers/{root}/traits")).Json;
            await client.PutAsync($"resource_providers/{root}/traits", new JsonObject
            {
                ["resource_provider_generation"] = current["resource_provider_generation"]!.DeepClone(),
                ["traits"] = new JsonArray("COMPUTE_NODE", "COMPUTE_VIOMMU_MODEL_AUTO", "COMPUTE_VIOMMU_MODEL_INTEL", "COMPUTE_VIOMMU_MODEL_VIRTIO"),
            });
        }

        await ReportAsync("viommu-a", Hypervisor("8.0.0", "aarch64"));

        (await RootTraitsAsync(root)).ShouldBe(["COMPUTE_NODE", "COMPUTE_VIOMMU_MODEL_AUTO", "COMPUTE_VIOMMU_MODEL_SMMUV3"]);
    }

    [Fact]
    public async Task LV18_WithoutHypervisor_TheRootTraitsAreLeftAlone()
    {
        var root = await ReportAsync("viommu-b", null);

        (await RootTraitsAsync(root)).ShouldBeEmpty();
    }
}
