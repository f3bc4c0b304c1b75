using PciPassthrough.Core.Libvirt;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Libvirt;

public sealed class HypervisorCapabilitiesTests
{
    private static HypervisorCapabilities Hypervisor(string architectures, string libvirt) =>
        new(architectures.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal), Version.Parse(libvirt));

    [Theory]
    [InlineData("x86_64,i686", "8.3.0", "AUTO,INTEL,VIRTIO")] // LV-18
    [InlineData("x86_64,i686", "8.2.0", "AUTO,INTEL")] // LV-18: virtio from libvirt 8.3.0
    [InlineData("aarch64", "8.0.0", "AUTO,SMMUV3")] // LV-18
    [InlineData("x86_64,aarch64", "9.0.0", "AUTO,INTEL,SMMUV3,VIRTIO")] // LV-18
    [InlineData("i686,ppc64le", "7.0.0", "AUTO")] // LV-18: AUTO always; i686 alone is not x86_64
    [InlineData("", "8.3.0", "AUTO,VIRTIO")] // LV-18
    public void LV18_RootTraits_FromGuestArchitecturesAndLibvirtVersion(string architectures, string libvirt, string models)
    {
        var traits = Hypervisor(architectures, libvirt).ViommuTraits();

        traits.Keys.ShouldBe(["COMPUTE_VIOMMU_MODEL_AUTO", "COMPUTE_VIOMMU_MODEL_INTEL", "COMPUTE_VIOMMU_MODEL_SMMUV3",
            "COMPUTE_VIOMMU_MODEL_VIRTIO"]);
        Hypervisor(architectures, libvirt).ReportedViommuTraits()
            .ShouldBe(models.Split(',').Select(m => "COMPUTE_VIOMMU_MODEL_" + m));
        traits.Count(t => !t.Value).ShouldBe(4 - models.Split(',').Length);
    }

    [Fact]
    public void LV18_AssumedHypervisor_IsTheX86KvmHostTheDomainXmlIsRenderedFor() =>
        HypervisorCapabilities.Assumed.ReportedViommuTraits()
            .ShouldBe(["COMPUTE_VIOMMU_MODEL_AUTO", "COMPUTE_VIOMMU_MODEL_INTEL", "COMPUTE_VIOMMU_MODEL_VIRTIO"]);

    [Theory]
    [InlineData(ViommuModel.Intel, "COMPUTE_VIOMMU_MODEL_INTEL")] // LV-19
    [InlineData(ViommuModel.Smmuv3, "COMPUTE_VIOMMU_MODEL_SMMUV3")] // LV-19
    [InlineData(ViommuModel.Virtio, "COMPUTE_VIOMMU_MODEL_VIRTIO")] // LV-19
    [InlineData(ViommuModel.Auto, "COMPUTE_VIOMMU_MODEL_AUTO")] // LV-19
    public void LV19_TraitOf_ModelUpperCased(ViommuModel model, string trait) =>
        HypervisorCapabilities.TraitOf(model).ShouldBe(trait);

    [Fact]
    public void LV18_EveryTrait_IsAStandardTrait() =>
        HypervisorCapabilities.Assumed.ViommuTraits().Keys.ShouldAllBe(t => Core.Flavors.PlacementNames.Traits.Contains(t));
}
