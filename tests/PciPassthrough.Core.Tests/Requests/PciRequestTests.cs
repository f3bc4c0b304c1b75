using PciPassthrough.Core.Config;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Requests;

/// <summary>03 §1: what a PCI request holds, whichever way it was made.</summary>
public sealed class PciRequestTests
{
    private static readonly PciAliasSet _aliases = PciAliasSet.Parse([
        """{"name":"all","vendor_id":"8086","product_id":"154d","device_type":"type-VF","capability_type":"pci","resource_class":"CUSTOM_X","traits":"A,B","live_migratable":"yes","numa_policy":"socket"}""",
    ]);

    private static PciRequest FromAlias(string value = "all:2") =>
        PciRequestFactory.FromFlavor(value, _aliases, null, () => "alias-id").Single();

    private static PciRequest FromPort(VnicType type = VnicType.Direct) => PciRequestFactory.FromPort(
        new RequestedPort { Id = "port-1", VnicType = type, PhysicalNetwork = "physnet1", Trusted = true }, null, () => "port-id")!;

    [Fact]
    public void RQ1_AliasRequest_EveryField()
    {
        var request = FromAlias();
        (request.Count, request.Specs.Count, request.AliasName, request.RequestId, request.RequesterId, request.NumaPolicy)
            .ShouldBe((2, 1, "all", "alias-id", null, PciNumaPolicy.Socket));
    }

    [Fact]
    public void RQ1_PortRequest_EveryField()
    {
        var request = FromPort();
        (request.Count, request.Specs.Count, request.AliasName, request.RequestId, request.RequesterId, request.NumaPolicy)
            .ShouldBe((1, 1, null, "port-id", "port-1", null)); // RQ-1: unset policy
    }

    [Fact]
    public void RQ2_Source_AliasWhenAliasNameElsePort()
    {
        FromAlias().IsFromPort.ShouldBeFalse();
        FromPort().IsFromPort.ShouldBeTrue();
    }

    [Fact]
    public void RQ3_AliasSpec_TheAliasKeysAsStrings() =>
        FromAlias().Specs.Single().ShouldBe(new Dictionary<string, string?>
        {
            ["vendor_id"] = "8086",
            ["product_id"] = "154d",
            ["capability_type"] = "pci",
            ["resource_class"] = "CUSTOM_X",
            ["traits"] = "A,B",
            ["live_migratable"] = "true",
            ["dev_type"] = "type-VF",
        });

    [Theory]
    [InlineData(VnicType.Direct, "physical_network=physnet1,remote_managed=False,trusted=True")] // RQ-3
    [InlineData(VnicType.DirectPhysical, "physical_network=physnet1,remote_managed=False,dev_type=type-PF,trusted=True")] // RQ-3
    public void RQ3_PortSpec_ThePortKeysAsStrings(VnicType type, string spec) =>
        string.Join(",", FromPort(type).Specs.Single().Select(p => $"{p.Key}={p.Value}")).ShouldBe(spec);

    [Fact]
    public void RQ3_PortOnTunnelledNetwork_NullValue() =>
        PciRequestFactory.FromPort(new RequestedPort { Id = "p", VnicType = VnicType.Direct }, null, () => "id")!
            .Specs.Single()["physical_network"].ShouldBeNull();
}
