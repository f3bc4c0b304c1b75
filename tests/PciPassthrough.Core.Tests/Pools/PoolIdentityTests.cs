using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Pools;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;

namespace PciPassthrough.Core.Tests.Pools;

/// <summary>04 §6 pool identity cases, all devices in one host.</summary>
public sealed class PoolIdentityTests
{
    private static PciHostBuilder IdentityHost(NovaRelease release = NovaRelease.Latest) =>
        new PciHostBuilder(release)
            .WithSpec("""{"vendor_id": "8086", "product_id": "154c", "physical_network": "physnet1", "trusted": "true"}""")
            .WithSpec("""{"vendor_id": "8086", "product_id": "1528"}""")
            .WithSpec("""{"vendor_id": "10de", "product_id": "1db4", "managed": "no", "resource_class": "GPU", "traits": "x"}""")
            .With(Vf("0000:81:10.1", "0000:81:00.0", productId: "154c", parentIfname: "ens1f0"),
                Vf("0000:81:10.3", "0000:81:00.0", productId: "154c", parentIfname: "ens1f0"),
                Pf("0000:81:00.0", productId: "1528"),
                Plain("0000:3b:00.0", "10de", "1db4"));

    private static Dictionary<string, string?> Keys(DevicePool pool) =>
        pool.Keys.Entries.ToDictionary(e => e.Key, e => e.Value.AsString ?? (e.Value.IsNull ? null : e.Value.ToString()));

    [Fact]
    public void PL1_LatestKeys_TagsAddressParentIfnameRemoteManaged()
    {
        var pools = IdentityHost().Build().Pools;
        var vf = pools.Pools.Single(p => p.Keys[PoolKeys.DeviceType].AsString == "type-VF");
        Keys(vf).ShouldBe(new Dictionary<string, string?>
        {
            ["product_id"] = "154c",
            ["vendor_id"] = "8086",
            ["numa_node"] = null,
            ["dev_type"] = "type-VF",
            ["physical_network"] = "physnet1",
            ["trusted"] = "true",
            ["address"] = "0000:81:00.0",
            ["parent_ifname"] = "ens1f0",
            ["remote_managed"] = "false",
        });
        vf.Count.ShouldBe(2); // PL-4: the second VF joins the first's pool
        vf.Devices.Select(d => d.Address).ShouldBe(["0000:81:10.1", "0000:81:10.3"]);
    }

    [Fact]
    public void PL1_PfAndPciKeys_NoResourceClassOrTraits()
    {
        var pools = IdentityHost().Build().Pools;
        Keys(pools.Pools.Single(p => p.Keys[PoolKeys.DeviceType].AsString == "type-PF")).ShouldBe(new Dictionary<string, string?>
        {
            ["product_id"] = "1528",
            ["vendor_id"] = "8086",
            ["numa_node"] = null,
            ["dev_type"] = "type-PF",
            ["address"] = "0000:81:00.0",
            ["remote_managed"] = "false",
        });
        Keys(pools.Pools.Single(p => p.Keys[PoolKeys.DeviceType].AsString == "type-PCI")).ShouldBe(new Dictionary<string, string?>
        {
            ["product_id"] = "1db4",
            ["vendor_id"] = "10de",
            ["numa_node"] = null,
            ["dev_type"] = "type-PCI",
            ["managed"] = "false",
            ["address"] = "0000:3b:00.0",
        });
    }

    [Fact]
    public void PL4_PoolOrder_FewerEntriesFirstThenCreationOrder()
    {
        var pools = IdentityHost().Build().Pools;
        pools.Pools.Select(p => p.Keys[PoolKeys.DeviceType].AsString).ShouldBe(["type-PF", "type-PCI", "type-VF"]);
    }

    [Fact]
    public void PL1_ResourceClassAndTraitsIgnored_OnePool()
    {
        var pools = new PciHostBuilder()
            .WithSpec("""{"address": "0000:81:00.1", "resource_class": "foo", "traits": "gold"}""")
            .WithSpec("""{"address": "0000:81:00.2", "resource_class": "baar", "traits": "silver"}""")
            .With(Vf("0000:81:00.1", "0000:81:00.0"), Vf("0000:81:00.2", "0000:81:00.0"))
            .Build().Pools;
        pools.Pools.Single().Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(NovaRelease.Latest, 2)] // PL-1: address = the parent's
    [InlineData(NovaRelease.Zed, 1)] // scenario-format §6: no address key
    public void PL1_VfsOfTwoPfs_PoolPerPf(NovaRelease release, int pools)
    {
        new PciHostBuilder(release).WithSpec("""{"vendor_id": "8086", "product_id": "1515"}""")
            .With(Vf("0000:0a:01.1", "0000:0a:01.0"), Vf("0000:0b:01.1", "0000:0b:01.0"))
            .Build().Pools.Pools.Count.ShouldBe(pools);
    }

    [Fact]
    public void PL1_ZedKeys_EveryTagRawAndNoAddress()
    {
        var pools = IdentityHost(NovaRelease.Zed).Build().Pools;
        var pci = pools.Pools.Single(p => p.Keys[PoolKeys.DeviceType].AsString == "type-PCI");
        Keys(pci).ShouldBe(new Dictionary<string, string?>
        {
            ["product_id"] = "1db4",
            ["vendor_id"] = "10de",
            ["numa_node"] = null,
            ["dev_type"] = "type-PCI",
            ["managed"] = "no",
            ["resource_class"] = "GPU",
            ["traits"] = "x",
        });
    }

    [Fact]
    public void PL1_RemoteManagedDefault_NotForPlainPci()
    {
        var pools = new PciHostBuilder().WithSpec("""{"vendor_id": "8086", "remote_managed": null}""")
            .With(Plain("0000:01:00.0"), Vf("0000:81:10.1", "0000:81:00.0")).Build().Pools;
        pools.Pools.Single(p => p.Keys[PoolKeys.DeviceType].AsString == "type-PCI").Keys.TryGetValue("remote_managed", out var pci)
            .ShouldBeTrue();
        pci.IsNull.ShouldBeTrue();
        pools.Pools.Single(p => p.Keys[PoolKeys.DeviceType].AsString == "type-VF").Keys["remote_managed"].AsString.ShouldBe("false");
    }

    [Fact]
    public void PL2_DeviceWithoutSpec_NotPooled()
    {
        var tracker = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(Plain("0000:01:00.0")).Build();
        var orphan = new TrackedDevice(Plain("0000:02:00.0", "10de"), spec: null);
        tracker.Pools.Add(orphan);
        tracker.Pools.Remove(orphan);
        tracker.Pools.Pools.Single().Count.ShouldBe(1);
    }

    [Fact]
    public void PL5_RemoveLastDevice_PoolDeleted_MissingPoolFails()
    {
        var tracker = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(Plain("0000:01:00.0")).Build();
        var device = tracker.Devices.Single();
        tracker.Pools.Remove(device);
        tracker.Pools.Pools.ShouldBeEmpty();
        Should.Throw<Errors.PciException>(() => tracker.Pools.Remove(device)).Error.Kind
            .ShouldBe(Errors.PciErrorKinds.PciDevicePoolEmpty);
    }

    [Fact]
    public void PL3_NullValuedKey_FindsPoolWithOtherKeyLikeNova()
    {
        // Nova compares the device's keys only, reading a missing pool key as null
        var tracker = new PciHostBuilder(NovaRelease.Zed)
            .WithSpec("""{"address": "0000:01:00.0", "trusted": "x"}""")
            .WithSpec("""{"address": "0000:02:00.0", "physical_network": null}""")
            .With(Plain("0000:01:00.0"), Plain("0000:02:00.0")).Build();
        tracker.Pools.Pools.Single().Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("count")]
    [InlineData("devices")]
    public void PL3_Zed_TagNamedCountOrDevices_FindsNoPool(string tag)
    {
        // Nova overwrites the tag when it creates the pool, so the device's own keys never equal a pool's
        var tracker = new PciHostBuilder(NovaRelease.Zed).WithSpec($$"""{"vendor_id": "8086", "{{tag}}": 3}""")
            .With(Plain("0000:01:00.0"), Plain("0000:02:00.0")).Build();
        var pools = tracker.Pools;
        pools.Pools.Select(p => p.Count).ShouldBe([1, 1]);
        pools.Pools.ShouldAllBe(p => p.Keys.Entries.All(e => e.Key != tag));

        var first = tracker.Devices[0];
        Should.Throw<Errors.PciException>(() => pools.Remove(first)).Error.Kind.ShouldBe(Errors.PciErrorKinds.PciDevicePoolEmpty);
        pools.Contains(tracker.Devices[1]).ShouldBeTrue();
        pools.Add(first);
        pools.Pools.Select(p => p.Devices.Single().Address).ShouldBe(["0000:01:00.0", "0000:02:00.0", "0000:01:00.0"]);
    }
}
