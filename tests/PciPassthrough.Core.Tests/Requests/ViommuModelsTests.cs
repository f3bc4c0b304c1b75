using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Flavors;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Requests;

public sealed class ViommuModelsTests
{
    [Theory]
    [InlineData("intel", true)] // LV-12
    [InlineData("smmuv3", true)] // LV-12
    [InlineData("virtio", true)] // LV-12
    [InlineData("auto", true)] // LV-12
    [InlineData("Intel", false)] // LV-12: case-sensitive
    [InlineData("amd", false)] // LV-12
    public void LV12_Validate(string value, bool valid)
    {
        var error = ExtraSpecValidator.Validate(ViommuModels.FlavorKey, value);
        (error is null).ShouldBe(valid);
        error?.Message.ShouldStartWith($"extra spec 'hw:viommu_model': '{value}' is not one of: intel, smmuv3, virtio, auto");
    }

    [Theory]
    [InlineData(null, null, null)] // LV-11: no vIOMMU
    [InlineData("intel", null, ViommuModel.Intel)] // LV-11
    [InlineData("intel", "smmuv3", ViommuModel.Intel)] // LV-11: the flavor silently wins
    [InlineData("", "virtio", ViommuModel.Virtio)] // LV-11
    [InlineData(null, "auto", ViommuModel.Auto)] // LV-11
    public void LV11_Resolve(string? flavor, string? image, ViommuModel? expected) =>
        ViommuModels.Resolve(flavor, image).ShouldBe(expected);

    [Theory]
    [InlineData("intel", "bogus", "hw_viommu_model=bogus")] // LV-12: the image is always checked
    [InlineData("bogus", null, "hw:viommu_model=bogus")] // LV-12
    public void LV12_Resolve_BadValue_InvalidRequest(string? flavor, string? image, string named)
    {
        var error = Should.Throw<PciException>(() => ViommuModels.Resolve(flavor, image)).Error;
        error.Kind.ShouldBe(PciErrorKinds.InvalidRequest);
        error.Message.ShouldStartWith(named);
    }

    [Fact]
    public void ToNovaName_EveryModel() =>
        Enum.GetValues<ViommuModel>().Select(m => m.ToNovaName()).ShouldBe(ViommuModels.Names);
}
