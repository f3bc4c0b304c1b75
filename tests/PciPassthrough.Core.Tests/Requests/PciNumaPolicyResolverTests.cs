using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Requests;

public sealed class PciNumaPolicyResolverTests
{
    [Theory]
    [InlineData(null, null, null)] // RQ-20
    [InlineData("", "", null)] // RQ-20: empty is unset
    [InlineData("preferred", null, PciNumaPolicy.Preferred)] // RQ-20
    [InlineData(null, "socket", PciNumaPolicy.Socket)] // RQ-20
    [InlineData("required", "required", PciNumaPolicy.Required)] // RQ-20
    public void RQ20_Resolve_Effective(string? flavor, string? image, PciNumaPolicy? expected) =>
        PciNumaPolicyResolver.Resolve(flavor, image).ShouldBe(expected);

    [Theory]
    [InlineData("legacy", "required", PciErrorKinds.ImagePCINUMAPolicyForbidden)] // RQ-20
    [InlineData("fake", null, PciErrorKinds.InvalidPCINUMAAffinity)] // RQ-20
    [InlineData("fake", "required", PciErrorKinds.ImagePCINUMAPolicyForbidden)] // RQ-20: conflict checked first
    [InlineData(null, "fake", PciErrorKinds.InvalidPCINUMAAffinity)] // RQ-20
    [InlineData("Required", null, PciErrorKinds.InvalidPCINUMAAffinity)] // RQ-20: case-sensitive
    public void RQ20_Resolve_Rejected(string? flavor, string? image, string kind) =>
        Should.Throw<PciException>(() => PciNumaPolicyResolver.Resolve(flavor, image)).Error.Kind.ShouldBe(kind);

    [Fact]
    public void RQ20_Conflict_NamesBothValues() =>
        Should.Throw<PciException>(() => PciNumaPolicyResolver.Resolve("legacy", "required")).Error.Message.ShouldBe(
            "image property hw_pci_numa_affinity_policy=required conflicts with flavor extra spec " +
            "hw:pci_numa_affinity_policy=legacy; the image may not change the flavor's policy: make them equal or remove one.");
}
