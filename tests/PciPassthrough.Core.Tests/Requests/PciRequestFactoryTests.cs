using System.Text.Json.Nodes;
using PciPassthrough.Core.Config;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Tests.Requests;

public sealed class PciRequestFactoryTests
{
    // 03 §8: a1 = 8086:154d legacy; a2 = 8086:154e type-VF required; "a b" = 8086:154f
    private static readonly PciAliasSet _aliases = PciAliasSet.Parse([
        """{"name":"a1","vendor_id":"8086","product_id":"154d"}""",
        """{"name":"a2","vendor_id":"8086","product_id":"154e","device_type":"type-VF","numa_policy":"required"}""",
        """{"name":"a b","vendor_id":"8086","product_id":"154f"}""",
    ]);

    private static Func<string> Ids()
    {
        var next = 0;
        return () => $"req-{next++}";
    }

    private static string Describe(IReadOnlyList<PciRequest> requests) => string.Join(" ", requests.Select(r =>
        $"{r.AliasName}x{r.Count}:{r.NumaPolicy?.ToNovaName()}"));

    private static IReadOnlyList<PciRequest> FromFlavor(string value, NovaRelease release = NovaRelease.Latest,
        PciNumaPolicy? policy = null) => PciRequestFactory.FromFlavor(value, _aliases, policy, Ids(), release);

    [Theory]
    [InlineData("a1:2", "a1x2:legacy")] // RQ-17
    [InlineData("a1:2,a2:1", "a1x2:legacy a2x1:required")] // RQ-17
    [InlineData("a1:2, a2:1", "a1x2:legacy a2x1:required")] // RQ-15
    [InlineData("a1 : 2", "a1x2:legacy")] // RQ-15: name trimmed, count with spaces
    [InlineData("a1: 2", "a1x2:legacy")] // RQ-15
    [InlineData("a1:2 ", "a1x2:legacy")] // RQ-15
    [InlineData(" a1:2", "a1x2:legacy")] // RQ-15
    [InlineData("a b:1", "a bx1:legacy")] // RQ-15
    [InlineData("a1:01", "a1x1:legacy")] // RQ-15
    [InlineData("a1:0", "a1x0:legacy")] // RQ-19
    [InlineData("a1:1,a1:2", "a1x1:legacy a1x2:legacy")] // RQ-18
    public void RQ15_ServerCreate_RequestsInOrder(string value, string expected)
    {
        Describe(FromFlavor(value)).ShouldBe(expected);
        Describe(FromFlavor(value, NovaRelease.Zed)).ShouldBe(expected);
    }

    [Fact]
    public void RQ17_Request_CarriesTheAliasSpecsAndAFreshId()
    {
        var requests = FromFlavor("a2:1,a1:2");
        requests.Select(r => r.RequestId).ShouldBe(["req-0", "req-1"]);
        requests[0].Specs.ShouldHaveSingleItem().ShouldBe(
            new Dictionary<string, string?> { ["vendor_id"] = "8086", ["product_id"] = "154e", ["dev_type"] = "type-VF" });
        (requests[0].RequesterId, requests[0].IsFromPort).ShouldBe((null, false));
    }

    [Fact]
    public void RQ21_FlavorPolicy_OverridesEveryAlias() =>
        Describe(FromFlavor("a1:2,a2:1", policy: PciNumaPolicy.Preferred)).ShouldBe("a1x2:preferred a2x1:preferred");

    [Fact]
    public void RQ16_UnknownAlias_NotDefined()
    {
        var error = Should.Throw<PciException>(() => FromFlavor("a3:1")).Error;
        error.Kind.ShouldBe(PciErrorKinds.PciRequestAliasNotDefined);
        error.Message.ShouldBe("pci_passthrough:alias asks for alias 'a3', which [pci] alias does not define; defined aliases: a1, a2, a b.");
    }

    [Theory]
    [InlineData("a1")] // RQ-15
    [InlineData("a1:x")] // RQ-15
    [InlineData("a1:2:3")] // RQ-15
    [InlineData("a1:2,")] // RQ-15
    [InlineData(",a1:2")] // RQ-15
    [InlineData("a1:1,,a2:1")] // RQ-15
    [InlineData("a1:1;a2:1")] // RQ-15
    [InlineData("a1:1 a2:1")] // RQ-15
    [InlineData("a1:-1")] // RQ-19: rejected
    public void RQ15_MalformedItem_InvalidRequestNamingTheItem(string value)
    {
        var error = Should.Throw<PciException>(() => FromFlavor(value)).Error;
        error.Kind.ShouldBe(PciErrorKinds.InvalidRequest);
        error.Message.ShouldContain($"pci_passthrough:alias '{value}': item '");
    }

    [Theory]
    [InlineData("a1", "not enough values to unpack (expected 2, got 1)")] // scenario-format §6
    [InlineData("a1:x", "invalid literal for int() with base 10: 'x'")] // scenario-format §6
    [InlineData("a1:2:3", "too many values to unpack (expected 2)")] // scenario-format §6
    [InlineData("a1:2,", "not enough values to unpack")] // scenario-format §6
    public void RQ15_Zed_MalformedItem_ValueError(string value, string message)
    {
        var error = Should.Throw<PciException>(() => FromFlavor(value, NovaRelease.Zed)).Error;
        (error.Kind, error.NovaException).ShouldBe((PciErrorKinds.ValueError, false));
        error.Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("a1:-1", "a1x-1:legacy")] // scenario-format §7 item 10
    [InlineData("a1: +1_0 ", "a1x10:legacy")] // SIM-30 integer text
    [InlineData("a1:99999999999", "a1x99999999999:legacy")] // Python's int() has no 32-bit range
    [InlineData("a1:-99999999999", "a1x-99999999999:legacy")] // Python's int() has no 32-bit range
    public void RQ19_Zed_CountsAsPythonReadsThem(string value, string expected) =>
        Describe(FromFlavor(value, NovaRelease.Zed)).ShouldBe(expected);

    [Fact]
    public void RQ16_ItemsCheckedInOrder()
    {
        Should.Throw<PciException>(() => FromFlavor("a3:1,a1")).Error.Kind.ShouldBe(PciErrorKinds.PciRequestAliasNotDefined);
        Should.Throw<PciException>(() => FromFlavor("a1:x,a3:1", NovaRelease.Zed)).Error.Kind.ShouldBe(PciErrorKinds.ValueError);
    }

    private static string Port(RequestedPort port, PciNumaPolicy? flavorPolicy = null)
    {
        var request = PciRequestFactory.FromPort(port, flavorPolicy, Ids());
        return request is null ? "none" : string.Join(",", request.Specs.Single().Select(p => $"{p.Key}={p.Value ?? "null"}"))
            + $"|{request.NumaPolicy?.ToNovaName() ?? "unset"}";
    }

    private static RequestedPort Direct(VnicType type = VnicType.Direct) => new() { Id = "p1", VnicType = type, PhysicalNetwork = "physnet1" };

    [Theory]
    [InlineData(VnicType.Normal, "none")] // RQ-25
    [InlineData(VnicType.Baremetal, "none")] // RQ-25
    [InlineData(VnicType.AcceleratorDirect, "none")] // RQ-25
    [InlineData(VnicType.SmartNic, "none")] // RQ-25
    [InlineData(VnicType.Direct, "physical_network=physnet1,remote_managed=False|unset")] // RQ-26
    [InlineData(VnicType.Macvtap, "physical_network=physnet1,remote_managed=False|unset")] // RQ-26
    [InlineData(VnicType.VirtioForwarder, "physical_network=physnet1,remote_managed=False|unset")] // RQ-26
    [InlineData(VnicType.DirectPhysical, "physical_network=physnet1,remote_managed=False,dev_type=type-PF|unset")] // RQ-26
    [InlineData(VnicType.Vdpa, "physical_network=physnet1,remote_managed=False,dev_type=vdpa|unset")] // RQ-26
    [InlineData(VnicType.RemoteManaged, "physical_network=physnet1,remote_managed=True|unset")] // RQ-26
    public void RQ26_PortRequest_PerVnicType(VnicType type, string expected) => Port(Direct(type)).ShouldBe(expected);

    [Theory]
    [InlineData("\"yes\"", "True")] // RQ-26
    [InlineData("\"0\"", "False")] // RQ-26
    [InlineData("true", "True")] // RQ-26: a JSON boolean is itself
    [InlineData("\"maybe\"", "False")] // RQ-26: lenient
    public void RQ26_Trusted_ReadLeniently(string trusted, string expected) =>
        Port(Direct() with { Trusted = JsonNode.Parse(trusted) })
            .ShouldBe($"physical_network=physnet1,remote_managed=False,trusted={expected}|unset");

    [Fact]
    public void RQ26_TunnelledNetwork_NullPhysnet() =>
        Port(new RequestedPort { Id = "p1", VnicType = VnicType.Macvtap }).ShouldBe("physical_network=null,remote_managed=False|unset");

    [Fact]
    public void RQ21_FlavorPolicy_DefaultForPorts() =>
        Port(Direct(), PciNumaPolicy.Preferred).ShouldEndWith("|preferred");

    [Fact]
    public void RQ21_PortPolicy_WinsOverFlavor() =>
        Port(Direct() with { NumaAffinityPolicy = "required" }, PciNumaPolicy.Preferred).ShouldEndWith("|required");

    [Fact]
    public void RQ21_EmptyPortPolicy_IsUnset() =>
        Port(Direct() with { NumaAffinityPolicy = "" }, PciNumaPolicy.Socket).ShouldEndWith("|socket");

    [Fact]
    public void RQ26_PortRequest_CountOneRequesterPortNoAlias()
    {
        var request = PciRequestFactory.FromPort(Direct(), null, () => "id-7")!;
        (request.Count, request.RequesterId, request.AliasName, request.RequestId, request.IsFromPort)
            .ShouldBe((1, "p1", null, "id-7", true));
    }

    [Fact]
    public void RQ21_BadPortPolicy_Rejected()
    {
        var port = Direct() with { NumaAffinityPolicy = "bogus" };
        Should.Throw<PciException>(() => PciRequestFactory.FromPort(port, null, Ids())).Error.Kind
            .ShouldBe(PciErrorKinds.InvalidPCINUMAAffinity);
        Should.Throw<PciException>(() => PciRequestFactory.FromPort(port, null, Ids(), NovaRelease.Zed)).Error.Kind
            .ShouldBe(PciErrorKinds.ValueError);
    }
}
