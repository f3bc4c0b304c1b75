using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pools;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;
using static PciPassthrough.Testing.Devices.PciRequests;

namespace PciPassthrough.Core.Tests.Pools;

/// <summary>The scheduler's view of a host's pools (04 PL-7, scenario-format SIM-35).</summary>
public sealed class PoolSummaryTests
{
    private static DevicePools ZedHost(string tags) =>
        new PciHostBuilder(NovaRelease.Zed).WithSpec($$"""{"vendor_id": "8086", {{tags}}}""")
            .With(Vf("0000:81:10.1", "0000:81:00.0", numa: 1)).Build().Pools;

    [Theory]
    [InlineData("\"trusted\": true", "True")] // SIM-35
    [InlineData("\"trusted\": false", "False")] // SIM-35
    [InlineData("\"trusted\": 1", "1")] // SIM-35
    [InlineData("\"trusted\": 1.0", "1.0")] // SIM-35: Python's str(float)
    [InlineData("\"trusted\": 1e16", "1e+16")] // SIM-35
    [InlineData("\"trusted\": 0.00001", "1e-05")] // SIM-35
    [InlineData("\"trusted\": \"yes\"", "yes")] // SIM-35: strings unchanged
    [InlineData("\"trusted\": null", null)] // SIM-35: null stays null
    public void SIM35_SchedulerView_TagsAsPythonText(string tag, string? text)
    {
        var pools = ZedHost(tag);
        var entry = pools.SchedulerView().Pools.Single();
        entry.Keys["trusted"].AsString.ShouldBe(text);
        entry.Keys[PoolKeys.NumaNode].ShouldBe(PoolValue.Of(1));
        entry.Count.ShouldBe(1);
    }

    [Fact]
    public void SIM35_ListTag_ValueError()
    {
        var pools = ZedHost("\"trusted\": [1]");
        pools.Pools.Single().Keys.ToJsonObject()["trusted"]!.ToJsonString().ShouldBe("[1]");
        var error = Should.Throw<PciException>(() => pools.SchedulerView()).Error;
        (error.Kind, error.NovaException).ShouldBe((PciErrorKinds.ValueError, false));
    }

    [Theory]
    [InlineData("\"0\"", 0)] // SIM-35: the pool object's numa_node is an integer field, read with Python's int()
    [InlineData("\" 0\\n\"", 0)] // SIM-35: int() strips white space
    [InlineData("\"1_0\"", 10)] // SIM-35: and takes underscores between digits
    [InlineData("-0.5", 0)] // SIM-35: a float is truncated
    [InlineData("false", 0)] // SIM-35
    public void SIM35_NumaNodeTag_SchedulerReadsAnInteger(string tag, int cell)
    {
        var pools = ZedHost($"\"numa_node\": {tag}");

        pools.SchedulerView().Pools.Single().Keys[PoolKeys.NumaNode].ShouldBe(PoolValue.Of(cell));
        pools.SchedulerView().FreeCountOn(cell).ShouldBe(1);
    }

    [Fact]
    public void SIM35_NumaNodeTagText_SchedulerYesComputeNo()
    {
        var pools = ZedHost("\"numa_node\": \"0\"");

        pools.SchedulerView().FreeCountOn(0).ShouldBe(1);
        pools.FreeCountOn(0).ShouldBe(0);
    }

    [Theory]
    [InlineData("\"no\"", PciErrorKinds.ValueError)] // SIM-20 stage pools: int('no')
    [InlineData("\"1.0\"", PciErrorKinds.ValueError)] // SIM-20: int('1.0')
    [InlineData("[0]", PciErrorKinds.TypeError)] // SIM-20: int([0])
    [InlineData("{\"a\": 0}", PciErrorKinds.TypeError)] // SIM-20: int({...})
    [InlineData("1e999", PciErrorKinds.OverflowError)] // SIM-20: int(inf)
    public void SIM35_NumaNodeTagNotAnInteger_PythonError(string tag, string kind)
    {
        var error = Should.Throw<PciException>(() => ZedHost($"\"numa_node\": {tag}").SchedulerView()).Error;

        (error.Kind, error.NovaException).ShouldBe((kind, false));
    }

    [Fact]
    public void PL7_BooleanTag_SchedulerYesComputeNo() // 04 §6, 01 DS-31 (Zed keeps the raw boolean)
    {
        var pools = ZedHost("\"trusted\": true");
        var port = Port("trusted=True;physical_network=null;remote_managed=False");
        pools.SchedulerView().Supports([port]).ShouldBeTrue();
        pools.Supports([port]).ShouldBeFalse();
    }

    [Theory]
    [InlineData("\"trusted\": \"true\"", "trusted=True;remote_managed=False", true)] // PL-9: lower-cased
    [InlineData("\"physical_network\": \"physnet1\"", "physical_network=PHYSNET1", true)] // PL-9
    [InlineData("\"physical_network\": null", "physical_network=null;remote_managed=False", true)] // PL-9: null = null
    [InlineData("\"product_id\": \"1515\"", "physical_network=null;remote_managed=False", true)] // PL-9: absent = null
    public void PL9_PortSpecs(string tag, string port, bool fits) =>
        ZedHost(tag).SchedulerView().Supports([Port(port)]).ShouldBe(fits);

    [Theory]
    [InlineData("physical_network=null;remote_managed=True")] // remote-managed port
    [InlineData("physical_network=null;remote_managed=False")] // normal port
    public void PL9_RemoteManagedYes_UnusableDevice(string port)
    {
        var pools = new PciHostBuilder().WithSpec("""{"vendor_id": "8086", "remote_managed": "yes"}""")
            .With(Vf("0000:81:10.1", "0000:81:00.0") with { CardSerialNumber = "MT1" }).Build().Pools;
        pools.Pools.Single().Count.ShouldBe(1);
        pools.Supports([Port(port)]).ShouldBeFalse();
    }

    [Fact]
    public void PL9_PlainPciDevice_NoRemoteManagedKey_PortNeverMatches()
    {
        var pools = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(Plain("0000:01:00.0")).Build().Pools;
        pools.Supports([Port("physical_network=null;remote_managed=False")]).ShouldBeFalse();
    }

    [Fact]
    public void PL7_SchedulerView_RebuiltAfterAChange()
    {
        var tracker = new PciHostBuilder(NovaRelease.Zed).WithSpec("""{"vendor_id": "8086"}""")
            .With(Plain("0000:01:00.0"), Plain("0000:02:00.0")).Build();
        var before = tracker.Pools.SchedulerView();
        tracker.Pools.SchedulerView().ShouldBeSameAs(before);
        tracker.Pools.Consume([Alias(1, "vendor_id=8086")]);
        var after = tracker.Pools.SchedulerView();
        (before.Pools.Single().Count, after.Pools.Single().Count).ShouldBe((2, 1));
    }

    [Fact]
    public void FreeCountOn_SumsPoolsOfTheCell()
    {
        var pools = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""")
            .With(Plain("0000:01:00.0", numa: 0), Plain("0000:02:00.0", numa: 1), Plain("0000:03:00.0", productId: "bbbb", numa: 1),
                Plain("0000:04:00.0", numa: null))
            .Build().Pools;
        (pools.FreeCountOn(0), pools.FreeCountOn(1), pools.FreeCountOn(2)).ShouldBe((1, 2, 0));
        (pools.SchedulerView().FreeCountOn(0), pools.SchedulerView().FreeCountOn(1)).ShouldBe((1, 2));
    }
}
