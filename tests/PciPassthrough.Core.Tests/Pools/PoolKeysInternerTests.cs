using PciPassthrough.Core.Pools;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;

namespace PciPassthrough.Core.Tests.Pools;

/// <summary>Hosts publishing the same pool identity share one keys instance in their scheduler views.</summary>
public sealed class PoolKeysInternerTests
{
    private static PoolKeys SchedulerKeys(string tags) =>
        new PciHostBuilder(NovaRelease.Zed).WithSpec($$"""{"vendor_id": "8086", {{tags}}}""")
            .With(Vf("0000:81:10.1", "0000:81:00.0", numa: 1)).Build().Pools.SchedulerView().Pools.Single().Keys;

    [Fact]
    public void SameIdentityOnTwoHosts_SharesOneInstance() =>
        SchedulerKeys("\"physical_network\": \"net1\"").ShouldBeSameAs(SchedulerKeys("\"physical_network\": \"net1\""));

    [Theory]
    [InlineData("\"physical_network\": \"net2\"")] // another value
    [InlineData("\"physical_network\": \"NET1\"")] // matching is case-insensitive, the identity is not
    [InlineData("\"physical_network\": \"net1\", \"trusted\": \"true\"")] // another key
    public void DifferentIdentity_IsNotShared(string tags) =>
        SchedulerKeys(tags).ShouldNotBeSameAs(SchedulerKeys("\"physical_network\": \"net1\""));

    [Fact]
    public void SameKeysInAnotherOrder_AreNotShared()
    {
        var first = SchedulerKeys("\"a\": \"1\", \"b\": \"2\"");
        var second = SchedulerKeys("\"b\": \"2\", \"a\": \"1\"");

        second.ShouldNotBeSameAs(first);
        var names = second.Entries.Select(e => e.Key).ToList();
        names.IndexOf("b").ShouldBeLessThan(names.IndexOf("a"));
    }
}
