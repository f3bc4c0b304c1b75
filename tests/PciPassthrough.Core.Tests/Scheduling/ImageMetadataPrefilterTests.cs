using System.Text.Json;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Simulation;
using PciPassthrough.Core.Simulation.Results;

namespace PciPassthrough.Core.Tests.Scheduling;

public sealed class ImageMetadataPrefilterTests
{
    private static Dictionary<string, JsonElement> Image(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Theory]
    [InlineData("""{"hw_viommu_model": "intel"}""", "COMPUTE_VIOMMU_MODEL_INTEL")] // LV-19
    [InlineData("""{"hw_viommu_model": "smmuv3"}""", "COMPUTE_VIOMMU_MODEL_SMMUV3")] // LV-19
    [InlineData("""{"hw_viommu_model": "virtio"}""", "COMPUTE_VIOMMU_MODEL_VIRTIO")] // LV-19
    [InlineData("""{"hw_viommu_model": "auto"}""", "COMPUTE_VIOMMU_MODEL_AUTO")] // LV-19
    [InlineData("""{"hw_viommu_model": "Intel"}""", null)] // LV-19: not a model (LV-12 refuses it at build)
    [InlineData("""{"hw_viommu_model": 1}""", null)] // LV-19
    [InlineData("""{"hw_machine_type": "q35"}""", null)] // LV-19
    public void LV19_ImageModel_RequiresItsRootTrait(string image, string? trait) =>
        ImageMetadataPrefilter.RequiredTraits(Image(image), enabled: true).ShouldBe(trait is null ? [] : [trait]);

    [Fact]
    public void LV19_PrefilterOff_RequiresNothing() =>
        ImageMetadataPrefilter.RequiredTraits(Image("""{"hw_viommu_model": "intel"}"""), enabled: false).ShouldBeEmpty();

    /// <summary>An x86_64 host with libvirt 8.0 (INTEL, no VIRTIO) and an aarch64 one with libvirt 9.0 (SMMUV3, VIRTIO).</summary>
    private static Fleet TwoHypervisors(bool prefilter)
    {
        var config = new ScenarioConfig { ImageMetadataPrefilter = prefilter };
        var fleet = new Fleet(config);
        foreach (var (name, architectures, libvirt) in new[] { ("a-x86", new[] { "x86_64", "i686" }, "8.0.0"), ("b-arm", ["aarch64"], "9.0.0") })
        {
            fleet.UpsertHost(ScenarioReader.ReadHost(JsonSerializer.SerializeToElement(new
            {
                name,
                numa_cells = new[] { new { id = 0, cpus = new[] { 0, 1 }, memory_mb = 8192 } },
                hypervisor = new { guest_architectures = architectures, libvirt_version = libvirt },
            }), config)).Report.Ok.ShouldBeTrue();
        }

        return fleet;
    }

    private static BootResult Boot(Fleet fleet, string name, string? imageModel, string? flavorModel = null) =>
        fleet.Boot(ScenarioReader.ReadBoot(JsonSerializer.SerializeToElement(new
        {
            name,
            flavor = new
            {
                vcpus = 1,
                memory_mb = 512,
                extra_specs = flavorModel is null ? [] : new Dictionary<string, string> { ["hw:viommu_model"] = flavorModel },
            },
            image = new
            {
                properties = imageModel is null ? [] : new Dictionary<string, string> { ["hw_viommu_model"] = imageModel },
            },
        }), 0));

    [Theory]
    [InlineData("intel", "a-x86")] // LV-19
    [InlineData("virtio", "b-arm")] // LV-19: a-x86's libvirt 8.0 has no virtio vIOMMU (LV-18)
    [InlineData("smmuv3", "b-arm")] // LV-19
    [InlineData("auto", "a-x86")] // LV-19: every host reports AUTO
    public void LV19_PrefilterOn_ImageModelPicksAHostReportingIt(string model, string host)
    {
        var result = Boot(TwoHypervisors(prefilter: true), "vm", model);

        result.Result.ShouldBe(BootResult.Placed);
        result.ChosenHost.ShouldBe(host);
    }

    [Fact]
    public void LV19_PrefilterOn_NoHostWithTheTrait_NamesItForEveryHost()
    {
        var fleet = TwoHypervisors(prefilter: true);
        fleet.UpsertHost(ScenarioReader.ReadHost(JsonSerializer.SerializeToElement(new
        {
            name = "b-arm",
            numa_cells = new[] { new { id = 0, cpus = new[] { 0, 1 }, memory_mb = 8192 } },
            hypervisor = new { guest_architectures = new[] { "aarch64" }, libvirt_version = "8.0.0" },
        }), fleet.Config));

        var result = Boot(fleet, "vm", "virtio");

        result.Result.ShouldNotBe(BootResult.Placed);
        result.Hosts.ShouldAllBe(h => h.Rejections.Any(r => r.Reason.Contains("COMPUTE_VIOMMU_MODEL_VIRTIO")));
    }

    [Fact]
    public void LV19_FlavorModel_AddsNoTrait() =>
        Boot(TwoHypervisors(prefilter: true), "vm", imageModel: null, flavorModel: "smmuv3").ChosenHost.ShouldBe("a-x86");

    [Fact]
    public void LV19_PrefilterOff_ImageModelDoesNotSteer() =>
        Boot(TwoHypervisors(prefilter: false), "vm", "smmuv3").ChosenHost.ShouldBe("a-x86");
}
