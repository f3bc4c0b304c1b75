using PciPassthrough.Core.Placement;

namespace PciPassthrough.Core.Tests.Placement;

/// <summary>06 §8 normalisation rows.</summary>
public sealed class PlacementNamesTests
{
    [Theory]
    [InlineData(null, "")] // PM-11
    [InlineData("", "")] // PM-11
    [InlineData("a", "CUSTOM_A")] // PM-11
    [InlineData("a,b", "CUSTOM_A,CUSTOM_B")] // PM-11
    [InlineData("a, b", "CUSTOM_A,CUSTOM__B")] // PM-11: items are not trimmed
    [InlineData("a,,b", "CUSTOM_,CUSTOM_A,CUSTOM_B")] // PM-11
    [InlineData("HW_GPU_API_VULKAN", "HW_GPU_API_VULKAN")] // PM-11: standard
    [InlineData("hw_gpu_api_vulkan", "CUSTOM_HW_GPU_API_VULKAN")] // PM-11: standard names are case-sensitive
    [InlineData("CUSTOM_FOO", "CUSTOM_FOO")] // PM-11
    [InlineData("custom_bar", "CUSTOM_BAR")] // PM-11
    [InlineData("CUSTOM_a", "CUSTOM_A")] // PM-11
    [InlineData("custom-bar", "CUSTOM_CUSTOM_BAR")] // PM-11
    [InlineData("a@!#$b123X", "CUSTOM_A_B123X")] // PM-11
    [InlineData("a!@b,a###b", "CUSTOM_A_B")] // PM-11: both collapse
    [InlineData("über", "CUSTOM__BER")] // PM-11
    [InlineData("straße", "CUSTOM_STRASSE")] // PM-11: Python's upper-casing
    public void PM11_NormalizeTraits(string? configured, string expected) =>
        string.Join(",", PlacementNames.NormalizeTraits(configured, NovaRelease.Latest).Order(StringComparer.Ordinal))
            .ShouldBe(expected);

    [Theory]
    [InlineData("PGPU", "PGPU")] // PM-10: standard
    [InlineData("pgpu", "PGPU")] // PM-10
    [InlineData("foobar", "CUSTOM_FOOBAR")] // PM-10
    [InlineData("custom_foo", "CUSTOM_FOO")] // PM-10
    [InlineData("CUSTOM_foo", "CUSTOM_FOO")] // PM-10
    [InlineData("custom_FOO", "CUSTOM_FOO")] // PM-10
    [InlineData("custom-foo", "CUSTOM_CUSTOM_FOO")] // PM-10
    [InlineData("a###b", "CUSTOM_A_B")] // PM-10
    [InlineData(" a b ", "CUSTOM__A_B_")] // PM-10
    [InlineData("CUSTOM_a-b", "CUSTOM_A-B")] // PM-10: a CUSTOM_ name is not sanitised
    public void PM10_NormalizeResourceClass(string configured, string expected) =>
        PlacementNames.ResourceClassOf("1234", "5678", configured).ShouldBe(expected);

    [Theory]
    [InlineData("1234", "5678", null, "CUSTOM_PCI_1234_5678")] // PM-9
    [InlineData("1234", "5678", "", "CUSTOM_PCI_1234_5678")] // PM-9
    [InlineData("123a", "567b", null, "CUSTOM_PCI_123A_567B")] // PM-9
    public void PM9_DefaultResourceClass(string vendor, string product, string? configured, string expected) =>
        PlacementNames.ResourceClassOf(vendor, product, configured).ShouldBe(expected);

    [Theory]
    [InlineData(NovaRelease.Latest, "HW_PCI_ONE_TIME_USE")] // PM-12: standard in newer os-traits
    [InlineData(NovaRelease.Zed, "CUSTOM_HW_PCI_ONE_TIME_USE")] // os-traits 2.9.0 does not know it
    public void PM11_StandardTraitsFollowTheRelease(NovaRelease release, string expected) =>
        PlacementNames.NormalizeTraits("HW_PCI_ONE_TIME_USE", release).Single().ShouldBe(expected);
}
