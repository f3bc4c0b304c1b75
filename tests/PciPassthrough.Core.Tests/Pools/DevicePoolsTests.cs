using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Pools;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;
using static PciPassthrough.Testing.Devices.PciRequests;

namespace PciPassthrough.Core.Tests.Pools;

public sealed class DevicePoolsTests
{
    private const string AllIntel = """{"vendor_id": "8086"}""";

    /// <summary>04 §6: 2 PFs 8086:1528 with 4 VFs 8086:1515 each, all pooled.</summary>
    private static PciDeviceTracker TwoPfs(NovaRelease release = NovaRelease.Latest, string pfProduct = "1528") =>
        new PciHostBuilder(release).WithSpec(AllIntel)
            .WithPfAndVfs("0000:81:00.0", 4, pfProduct: pfProduct)
            .WithPfAndVfs("0000:82:00.0", 4, pfProduct: pfProduct)
            .Build();

    /// <summary>04 §6: PF 8086:1528 (0000:81:00.0) with VFs 0000:81:10.1, 0000:81:10.2.</summary>
    private static PciDeviceTracker OnePf(NovaRelease release = NovaRelease.Latest) =>
        new PciHostBuilder(release).WithSpec(AllIntel).WithPfAndVfs("0000:81:00.0", 2).Build();

    private static string[] Addresses(IEnumerable<PciPick> picks) => [.. picks.Select(p => p.Device.Address)];

    private static long PooledCount(PciDeviceTracker tracker) => tracker.Pools.Pools.Sum(p => p.Count);

    [Fact]
    public void PL20_CountBeyondInt32_NegativeRaisesTheFirstPool()
    {
        // scenario-format §7 item 10: Nova takes min(count, needed) from the first pool, raising it by a negative count
        var tracker = OnePf(NovaRelease.Zed);
        var vfs = tracker.Pools.Pools.Single(p => p.Keys[PoolKeys.DeviceType].AsString == "type-VF");
        tracker.Pools.Consume([Alias(-99999999999, "product_id=1515")]).ShouldBeEmpty();
        vfs.Count.ShouldBe(2 + 99999999999);
        Should.Throw<PciException>(() => tracker.Pools.Consume([Alias(vfs.Count + 1, "product_id=1515")])).Error.Kind
            .ShouldBe(PciErrorKinds.PciDeviceRequestFailed);
    }

    [Fact]
    public void PL4_NewPoolAfterProvidersAssigned_WholeListSortedAgain()
    {
        // only PF 81's VF pool gets a provider: one entry more than the pools after it, which Nova does not re-sort yet
        var tracker = TwoPfs();
        foreach (var vf in tracker.Devices.Where(d => d.Record.ParentAddress == "0000:81:00.0"))
        {
            vf.ProviderUuid = "rp81";
        }

        tracker.Pools.AssignProviders();
        string Order() => string.Join(",", tracker.Pools.Pools.Select(p => $"{p.Keys[PoolKeys.DeviceType].AsString}@{p.Keys["address"].AsString}"));
        Order().ShouldBe("type-PF@0000:81:00.0,type-VF@0000:81:00.0,type-PF@0000:82:00.0,type-VF@0000:82:00.0");

        // a type-PCI pool has no remote_managed key: fewest entries, first; the stable sort moves the provider's pool last
        tracker.Pools.Add(new TrackedDevice(Plain("0000:83:00.0"), tracker.Devices[0].Spec));
        Order().ShouldBe("type-PCI@0000:83:00.0,type-PF@0000:81:00.0,type-PF@0000:82:00.0,type-VF@0000:82:00.0,type-VF@0000:81:00.0");
    }

    [Theory]
    [InlineData(NovaRelease.Latest, "0000:81:10.4,0000:81:10.3")] // PL-21: one VF pool per PF, first pool first
    [InlineData(NovaRelease.Zed, "0000:82:10.4,0000:82:10.3")] // §6 Zed: one VF pool for both PFs
    public void PL22_TwoVfs_TheirPfLeavesThePools(NovaRelease release, string expected)
    {
        var tracker = TwoPfs(release);
        var picks = tracker.Pools.Consume([Alias(2, "product_id=1515")]);
        string.Join(",", Addresses(picks)).ShouldBe(expected);
        var parent = picks[0].Device.Parent!;
        tracker.Pools.Contains(parent).ShouldBeFalse();
        PooledCount(tracker).ShouldBe(10 - 2 - 1);
    }

    [Fact]
    public void PL22_TwoPfs_AllTheirVfsLeaveThePools()
    {
        var tracker = TwoPfs();
        var picks = tracker.Pools.Consume([Alias(2, "product_id=1528;dev_type=type-PF")]);
        picks.Select(p => p.Device.DeviceType).ShouldAllBe(t => t == PciDeviceType.PhysicalFunction);
        PooledCount(tracker).ShouldBe(0);
    }

    [Fact]
    public void PL22_VfsThenPf_ThreeDevices()
    {
        var tracker = TwoPfs();
        var picks = tracker.Pools.Consume([Alias(2, "product_id=1515"), Alias(1, "product_id=1528;dev_type=type-PF", requestId: "r2")]);
        picks.Select(p => p.RequestIndex).ShouldBe([0, 0, 1]);
        picks[2].Device.Address.ShouldBe("0000:82:00.0");
    }

    [Fact]
    public void PL22_FiveVfsThenPf_Fails()
    {
        var tracker = TwoPfs();
        Should.Throw<PciException>(() => tracker.Pools.Consume(
                [Alias(5, "product_id=1515"), Alias(1, "product_id=1528;dev_type=type-PF", requestId: "r2")]))
            .Error.Kind.ShouldBe(PciErrorKinds.PciDeviceRequestFailed);
    }

    [Fact]
    public void PL11_PfsSharingTheVfProduct_ExcludedWhenNotRequested()
    {
        var tracker = TwoPfs(pfProduct: "1515");
        tracker.Pools.Supports([Alias(8, "product_id=1515")]).ShouldBeTrue();
        tracker.Pools.Supports([Alias(9, "product_id=1515")]).ShouldBeFalse();
    }

    [Fact]
    public void PL11_Vdpa_OnlyForVdpaRequests_ParentsLeave()
    {
        var builder = new PciHostBuilder().WithSpec("""{"vendor_id": "15b3"}""");
        for (var pf = 0; pf < 2; pf++)
        {
            var pfAddress = $"0000:8{pf}:00.0";
            builder.With(Pf(pfAddress, "15b3", "101d"));
            for (var i = 1; i <= 4; i++)
            {
                builder.With(Vdpa($"0000:8{pf}:10.{i}", pfAddress), Vf($"0000:8{pf}:11.{i}", pfAddress, "15b3", "101e"));
            }
        }

        var tracker = builder.Build();
        tracker.Pools.Supports([Alias(8, "product_id=101e")]).ShouldBeTrue();
        tracker.Pools.Supports([Alias(9, "product_id=101e")]).ShouldBeFalse(); // the 8 vDPA devices are excluded
        var picks = tracker.Pools.Consume([Alias(8, "dev_type=vdpa")]);
        picks.ShouldAllBe(p => p.Device.DeviceType == PciDeviceType.Vdpa);
        tracker.Pools.Pools.ShouldAllBe(p => p.Keys[PoolKeys.DeviceType].AsString != "type-PF" || p.Count == 0);
        tracker.Pools.Supports([Alias(1, "dev_type=type-PF")]).ShouldBeFalse();
    }

    private static PciDeviceTracker RemoteManagedHost(bool withIntelVfs = false)
    {
        var builder = new PciHostBuilder()
            .WithSpec("""{"vendor_id": "15b3", "product_id": "101e", "remote_managed": "true"}""")
            .With(Pf("0000:3b:00.0", "15b3", "a2d6"));
        for (var i = 1; i <= 3; i++)
        {
            builder.With(Vf($"0000:3b:10.{i}", "0000:3b:00.0", "15b3", "101e") with { CardSerialNumber = "MT2113X00000" });
        }

        if (withIntelVfs)
        {
            builder.WithSpec(AllIntel).WithPfAndVfs("0000:81:00.0", 2);
        }

        return builder.Build();
    }

    [Fact]
    public void PL11_RemoteManaged_TakenWhenAsked()
    {
        var tracker = RemoteManagedHost();
        tracker.Pools.Consume([Alias(2, "remote_managed=true")]).Count.ShouldBe(2);
    }

    [Fact]
    public void PL19_RemoteManagedFalse_FailsAndPoolsUnchanged()
    {
        var tracker = RemoteManagedHost();
        Should.Throw<PciException>(() => tracker.Pools.Consume(
            [Alias(1, "product_id=101e;remote_managed=false"), Alias(1, "product_id=101e", requestId: "r2")]));
        PooledCount(tracker).ShouldBe(3);
    }

    [Fact]
    public void PL11_RemoteManagedAndPlainVf_BothSucceed()
    {
        var tracker = RemoteManagedHost(withIntelVfs: true);
        var picks = tracker.Pools.Consume(
            [Alias(1, "product_id=101e;remote_managed=true"), Alias(1, "product_id=1515;remote_managed=false", requestId: "r2")]);
        picks.Select(p => p.Device.Record.ProductId).ShouldBe(["101e", "1515"]);
    }

    [Fact]
    public void PL9_PhysicalNetworkTag_SelectsTaggedPool()
    {
        var builder = new PciHostBuilder()
            .WithSpec("""{"vendor_id": "1137", "product_id": "0071", "physical_network": "physnet1"}""")
            .WithSpec("""{"vendor_id": "1137", "product_id": "0072"}""");
        for (var i = 0; i < 4; i++)
        {
            builder.With(Plain($"0000:0{i}:00.0", "1137", "0071"), Plain($"0000:1{i}:00.0", "1137", "0072"));
        }

        var picks = builder.Build().Pools.Consume([Alias(1, "physical_network=physnet1")]);
        picks.Single().Device.Record.ProductId.ShouldBe("0071");
    }

    [Theory]
    [InlineData("live_migratable=true", "102e")] // PL-11 step 7
    [InlineData("live_migratable=false", "102f")] // PL-11 step 7: untagged devices excluded too
    public void PL11_LiveMigratable_OnlyTaggedPools(string spec, string product)
    {
        var pools = new PciHostBuilder()
            .WithSpec("""{"vendor_id": "15b4", "live_migratable": "true"}""")
            .WithSpec("""{"vendor_id": "15b5", "live_migratable": "false"}""")
            .WithSpec(AllIntel)
            .With(Plain("0000:01:00.0", "15b4", "102e"), Plain("0000:02:00.0", "15b5", "102f"), Plain("0000:03:00.0", "8086", "aaaa"))
            .Build().Pools;
        pools.Supports([Alias(2, spec)]).ShouldBeFalse();
        pools.Consume([Alias(1, spec)]).Single().Device.Record.ProductId.ShouldBe(product);
    }

    [Fact]
    public void PL18_SchedulerIgnoresPfVfDependency()
    {
        var tracker = OnePf();
        tracker.Pools.SchedulerView().Supports([Alias(1, "product_id=1515"), Alias(1, "dev_type=type-PF", requestId: "r2")])
            .ShouldBeTrue();
    }

    [Fact]
    public void PL23_ConsumeVfThenPf_FailsAndThePfStaysOutOfThePools()
    {
        var tracker = OnePf();
        Should.Throw<PciException>(() => tracker.Pools.Consume(
                [Alias(1, "product_id=1515"), Alias(1, "dev_type=type-PF", requestId: "r2")]))
            .Error.Kind.ShouldBe(PciErrorKinds.PciDeviceRequestFailed);
        tracker.Pools.Pools.Single().Count.ShouldBe(2);
        tracker.Pools.Pools.Single().Keys[PoolKeys.DeviceType].AsString.ShouldBe("type-VF");
    }

    [Fact]
    public void PL21_TakesTheLastAddedDevice()
    {
        var tracker = OnePf();
        Addresses(tracker.Pools.Consume([Alias(1, "product_id=1515")])).ShouldBe(["0000:81:10.2"]);
    }

    [Fact]
    public void PL11_NoDeviceType_GetsAVfNeverThePf()
    {
        var tracker = OnePf();
        tracker.Pools.Consume([Alias(1, "vendor_id=8086")]).Single().Device.DeviceType.ShouldBe(PciDeviceType.VirtualFunction);
        OnePf().Pools.Supports([Alias(3, "vendor_id=8086")]).ShouldBeFalse();
    }

    [Theory]
    [InlineData(false, false)] // PL-18: A {vendor} takes aaaa, B {product aaaa} finds nothing
    [InlineData(true, true)] // PL-18: B first, then A takes bbbb
    public void PL18_GreedyInOrder(bool stricterFirst, bool fits)
    {
        var pools = new PciHostBuilder().WithSpec(AllIntel)
            .With(Plain("0000:01:00.0", productId: "aaaa"), Plain("0000:02:00.0", productId: "bbbb")).Build().Pools;
        var a = Alias(1, "vendor_id=8086");
        var b = Alias(1, "product_id=aaaa", requestId: "r2");
        pools.Supports(stricterFirst ? [b, a] : [a, b]).ShouldBe(fits);
        pools.SchedulerView().Supports(stricterFirst ? [b, a] : [a, b]).ShouldBe(fits);
    }

    [Fact]
    public void PL17_Apply_TakesFromPoolsInOrderAndDeletesEmptied()
    {
        var summary = new PciHostBuilder().WithSpec(AllIntel)
            .With(Plain("0000:01:00.0", productId: "aaaa"), Plain("0000:02:00.0", productId: "aaaa"), Plain("0000:03:00.0", productId: "bbbb"))
            .Build().Pools.SchedulerView();
        var after = summary.Apply([Alias(2, "vendor_id=8086")]);
        after.Pools.Single().Keys[PoolKeys.ProductId].AsString.ShouldBe("bbbb");
        summary.Pools.Sum(p => p.Count).ShouldBe(3);
    }
}
