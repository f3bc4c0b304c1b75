using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Core.Devices.PciDeviceStatus;
using static PciPassthrough.Testing.Devices.PciRecords;
using static PciPassthrough.Testing.Devices.PciRequests;

namespace PciPassthrough.Core.Tests.Devices;

public sealed class PciDeviceTrackerTests
{
    private const string PfAddress = "0000:00:01.1", Vf1Address = "0000:00:02.1", Vf2Address = "0000:00:02.2";
    private const string AllOfBus0 = """{"address": "0000:00:*.*"}""";

    /// <summary>02 §8 sync cases: type-PCI .1 (1000:aaaa), .2 (1001:bbbb), .3 (1000:aaaa), all available.</summary>
    private static (PciDeviceTracker Tracker, PciHostBuilder Host) ThreeDevices()
    {
        var host = new PciHostBuilder().WithSpec(AllOfBus0)
            .With(Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1001", "bbbb"), Plain("0000:00:00.3", "1000", "aaaa"));
        return (host.Build(), host);
    }

    private static DeviceSyncResult Report(PciDeviceTracker tracker, params PciDeviceRecord[] records)
    {
        var host = new PciHostBuilder().WithSpec(AllOfBus0).With(records);
        return tracker.Sync(host.Matched(host.ParseSpecs()));
    }

    /// <summary>02 §8 fixture T in the given states.</summary>
    private static PciDeviceTracker FixtureT(params (string Address, PciDeviceStatus Status, string? Owner)[] states) =>
        new PciHostBuilder().WithSpec(AllOfBus0)
            .With(Pf(PfAddress), Vf(Vf1Address, PfAddress), Vf(Vf2Address, PfAddress))
            .Restore(states);

    private static PciDeviceRecord[] FixtureTRecords(params string[] addresses) =>
        [.. new[] { Pf(PfAddress), Vf(Vf1Address, PfAddress), Vf(Vf2Address, PfAddress) }.Where(r => addresses.Contains(r.Address))];

    [Theory]
    [InlineData(Available, true)] // LC-3
    [InlineData(Claimed, false)] // LC-3
    [InlineData(Allocated, false)] // LC-3
    [InlineData(Unclaimable, false)] // LC-3
    [InlineData(Unavailable, false)] // LC-3
    [InlineData(Removed, false)] // LC-3
    [InlineData(Deleted, false)] // LC-3
    public void LC3_Status_OnlyAvailableCountsAsFree(PciDeviceStatus status, bool free)
    {
        var owner = status is Claimed or Allocated ? "I1" : null;
        var tracker = new PciHostBuilder().WithSpec(AllOfBus0).With(Plain("0000:00:00.1")).Restore(("0000:00:00.1", status, owner));
        var device = tracker.Find("0000:00:00.1")!;
        (device.Status, tracker.Pools.Contains(device), tracker.Pools.Pools.Sum(p => p.Count)).ShouldBe((status, free, free ? 1 : 0));
    }

    [Fact]
    public void LC3_TrackedState_SurvivesStorage()
    {
        var host = new PciHostBuilder().WithSpec("""{"address": "0000:00:*.*", "managed": "no"}""")
            .With(Pf(PfAddress), Vf(Vf1Address, PfAddress, parentIfname: "ens1f0"));
        var tracker = host.Build();
        tracker.ClaimForInstance("I1", [Alias(1, "dev_type=type-VF")]);
        var stored = tracker.Find(Vf1Address)!.ToStored();
        (stored.Status, stored.InstanceId, stored.RequestId).ShouldBe((Claimed, "I1", "r1"));
        stored.ExtraInfo.ShouldBe(new Dictionary<string, string> { ["parent_ifname"] = "ens1f0", ["managed"] = "false" });
        var restored = TrackedDevice.Restore(stored, tracker.Find(Vf1Address)!.Spec);
        (restored.Status, restored.InstanceId, restored.RequestId, restored.Record).ShouldBe((Claimed, "I1", "r1", stored.Record));
        restored.ExtraInfo.ShouldBe(stored.ExtraInfo);
    }

    [Fact]
    public void LC16_AddressReportedTwice_FirstReportCounts()
    {
        var (tracker, _) = ThreeDevices();
        var result = Report(tracker, Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1009", "bbbb"),
            Plain("0000:00:00.2", "1001", "bbbb"), Plain("0000:00:00.3", "1000", "aaaa"), Plain("0000:00:00.4", "1002", "cccc"),
            Plain("0000:00:00.4", "1003", "cccc"));
        tracker.Find("0000:00:00.2")!.Record.VendorId.ShouldBe("1009");
        result.Added.Single().Record.VendorId.ShouldBe("1002");
        tracker.Devices.Select(d => d.Address).ShouldBe(["0000:00:00.1", "0000:00:00.2", "0000:00:00.3", "0000:00:00.4"]);
    }

    [Fact]
    public void LC16_LC4_NewDevicesReportedOutOfOrder_PooledInReportedOrderTrackedInAddressOrder()
    {
        var tracker = new PciHostBuilder().WithSpec(AllOfBus0)
            .With(Vf(Vf2Address, PfAddress), Pf(PfAddress), Vf(Vf1Address, PfAddress)).Build();
        tracker.Devices.Select(d => d.Address).ShouldBe([PfAddress, Vf1Address, Vf2Address]);
        tracker.Find(PfAddress)!.Children.Select(c => c.Address).ShouldBe([Vf1Address, Vf2Address]);
        tracker.Pools.Pools.Single(p => p.Keys["dev_type"].AsString == "type-VF").Devices.Select(d => d.Address)
            .ShouldBe([Vf2Address, Vf1Address]);
    }

    [Fact]
    public void LC19_NewDevice_AvailableAndPooled()
    {
        var (tracker, _) = ThreeDevices();
        var result = Report(tracker, Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1001", "bbbb"),
            Plain("0000:00:00.3", "1000", "aaaa"), Plain("0000:00:00.4", "1002", "cccc"));
        tracker.Devices.Count.ShouldBe(4);
        var added = result.Added.Single();
        (added.Address, added.Status, tracker.Pools.Contains(added)).ShouldBe(("0000:00:00.4", Available, true));
    }

    [Fact]
    public void LC18_ChangedFreeDevice_UpdatedInPlace()
    {
        var (tracker, _) = ThreeDevices();
        var device = tracker.Find("0000:00:00.2")!;
        Report(tracker, Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1003", "bbbb"), Plain("0000:00:00.3", "1000", "aaaa"))
            .Updated.Count.ShouldBe(3);
        tracker.Find("0000:00:00.2").ShouldBeSameAs(device);
        (device.Record.VendorId, device.Status).ShouldBe(("1003", Available));
    }

    [Fact]
    public void LC18_TrackedDevicesReportedOutOfOrder_EachUpdatedWithItsOwnReport()
    {
        var (tracker, _) = ThreeDevices();
        var result = Report(tracker, Plain("0000:00:00.3", "1003", "aaaa"), Plain("0000:00:00.1", "1001", "aaaa"),
            Plain("0000:00:00.2", "1002", "bbbb"));
        (result.Updated.Count, result.Added.Count).ShouldBe((3, 0));
        tracker.Devices.Select(d => (d.Address, d.Record.VendorId))
            .ShouldBe([("0000:00:00.1", "1001"), ("0000:00:00.2", "1002"), ("0000:00:00.3", "1003")]);
    }

    [Fact]
    public void LC18_LC21_AddressStoredTwice_BothTakeItsReport()
    {
        var host = new PciHostBuilder().WithSpec(AllOfBus0).With(Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1000", "aaaa"));
        var specs = host.ParseSpecs();
        var stored = new[] { "0000:00:00.1", "0000:00:00.2", "0000:00:00.2" }
            .Select(a => new StoredPciDevice(Plain(a, "1000", "aaaa"), Available));
        var tracker = PciDeviceTracker.Restore(NovaRelease.Latest, [new(0, 0)], stored, r => specs.Match(r).Spec);

        var result = Report(tracker, Plain("0000:00:00.1", "1001", "aaaa"), Plain("0000:00:00.2", "1002", "aaaa"));

        (result.Updated.Count, result.Removed.Count).ShouldBe((3, 0));
        tracker.Devices.Select(d => d.Record.VendorId).ShouldBe(["1001", "1002", "1002"]);
    }

    [Fact]
    public void LC16_ReportFailingHalfWay_LeavesNothingForTheNextSync()
    {
        var (tracker, host) = ThreeDevices();
        var matched = host.Matched(host.ParseSpecs());

        IEnumerable<MatchedPciDevice> FailingAfterTwo()
        {
            yield return matched[0];
            yield return matched[1];
            throw new InvalidOperationException("the hypervisor stopped answering");
        }

        Should.Throw<InvalidOperationException>(() => tracker.Sync(FailingAfterTwo()));
        var result = Report(tracker, Plain("0000:00:00.1", "1000", "aaaa"));

        result.Updated.Select(d => d.Address).ShouldBe(["0000:00:00.1"]);
        result.Removed.Select(d => d.Address).ShouldBe(["0000:00:00.2", "0000:00:00.3"]);
    }

    [Fact]
    public void LC17_LC20_VanishedFreeDevices_RemovedThenDeletedAtSave()
    {
        var (tracker, _) = ThreeDevices();
        var result = Report(tracker, Plain("0000:00:00.1", "1000", "aaaa"));
        result.Removed.Select(d => d.Address).ShouldBe(["0000:00:00.2", "0000:00:00.3"]);
        result.Removed.ShouldAllBe(d => d.Status == Removed);
        tracker.Pools.Pools.Sum(p => p.Count).ShouldBe(1);
        var deleted = tracker.Save();
        deleted.ShouldBe(result.Removed);
        deleted.ShouldAllBe(d => d.Status == Deleted);
        tracker.Devices.Select(d => d.Address).ShouldBe(["0000:00:00.1"]);
        tracker.Find("0000:00:00.2").ShouldBeNull();
    }

    [Fact]
    public void LC20_DeletedAddressReportedAgain_TrackedAsNew()
    {
        var (tracker, _) = ThreeDevices();
        var gone = tracker.Find("0000:00:00.3")!;
        Report(tracker, Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1001", "bbbb"));
        tracker.Save();
        var result = Report(tracker, Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1001", "bbbb"),
            Plain("0000:00:00.3", "1000", "aaaa"));
        var back = result.Added.Single();
        (back.Address, back.Status, tracker.Pools.Contains(back)).ShouldBe(("0000:00:00.3", Available, true));
        back.ShouldNotBeSameAs(gone);
        tracker.Find("0000:00:00.3").ShouldBeSameAs(back);
    }

    [Fact]
    public void LC12_FreeInstance_AllocatedFirstThenClaimed()
    {
        // a resize to the same host: the instance holds .3 allocated (old flavor) and .1 claimed (new flavor)
        var tracker = new PciHostBuilder().WithSpec(AllOfBus0)
            .With(Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1001", "bbbb"), Plain("0000:00:00.3", "1000", "aaaa"))
            .Restore(("0000:00:00.1", Claimed, "I1"), ("0000:00:00.3", Allocated, "I1"), ("0000:00:00.2", Allocated, "I2"));
        tracker.FreeInstance("I1").Select(d => d.Address).ShouldBe(["0000:00:00.3", "0000:00:00.1"]);
        (tracker.Claims.Count, tracker.Allocations.Keys.Single()).ShouldBe((0, "I2"));
        tracker.Find("0000:00:00.2")!.Status.ShouldBe(Allocated);
        tracker.FreeInstance("I1").ShouldBeEmpty();
    }

    [Fact]
    public void LC18_ChangedDeviceInUse_DeferredUntilFreed()
    {
        var (tracker, _) = ThreeDevices();
        var device = tracker.Find("0000:00:00.2")!;
        tracker.ClaimForInstance("I1", [Alias(1, "vendor_id=1001")]).Single().Device.ShouldBeSameAs(device);
        var result = Report(tracker, Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1002", "bbbb"),
            Plain("0000:00:00.3", "1000", "aaaa"));
        result.Deferred.ShouldBe([device]);
        device.Record.VendorId.ShouldBe("1001");
        tracker.FreeInstance("I1");
        device.Record.VendorId.ShouldBe("1002");
    }

    [Fact]
    public void LC17_VanishedVfInUse_KeptThenRemovedWhenFreed()
    {
        var tracker = FixtureT((PfAddress, Unavailable, null), (Vf1Address, Allocated, "I1"));
        var result = Report(tracker, FixtureTRecords(PfAddress, Vf2Address));
        var vf1 = tracker.Find(Vf1Address)!;
        result.Held.ShouldBe([vf1]);
        result.Warnings.Single().ShouldContain("unable to remove PCI device 0000:00:02.1");
        vf1.Status.ShouldBe(Allocated);
        var freed = tracker.FreeInstance("I1");
        vf1.Status.ShouldBe(Removed);
        freed.Select(d => d.Address).ShouldBe([PfAddress, Vf1Address]);
        tracker.Pools.Contains(vf1).ShouldBeFalse();
        tracker.Pools.Contains(tracker.Find(PfAddress)!).ShouldBeFalse(); // LC-15 quirk: the freed parent is not re-pooled
    }

    [Fact]
    public void LC17_VanishedUnavailableVf_RemovedWhilePfStaysAllocated()
    {
        var tracker = FixtureT((PfAddress, Allocated, "I1"), (Vf1Address, Unavailable, null), (Vf2Address, Unavailable, null));
        Report(tracker, FixtureTRecords(PfAddress, Vf1Address)).Removed.Single().Address.ShouldBe(Vf2Address);
        tracker.Find(PfAddress)!.Status.ShouldBe(Allocated);
        tracker.Find(PfAddress)!.Children.Select(c => c.Address).ShouldBe([Vf1Address]);
    }

    [Fact]
    public void LC17_VanishedUnavailablePf_RemovedWhileVfStaysAllocated()
    {
        var tracker = FixtureT((PfAddress, Unavailable, null), (Vf1Address, Allocated, "I1"));
        Report(tracker, FixtureTRecords(Vf1Address, Vf2Address)).Removed.Single().Address.ShouldBe(PfAddress);
        tracker.Find(Vf1Address)!.Status.ShouldBe(Allocated);
        tracker.Find(Vf1Address)!.Parent.ShouldBeNull();
    }

    [Fact]
    public void LC2_OutOfRangeAddress_Ignored()
    {
        var (tracker, _) = ThreeDevices();
        var host = new PciHostBuilder().WithSpec("""{"address": "*:00:*.*"}""")
            .With(Plain("0000:00:00.1", "1000", "aaaa"), Plain("0000:00:00.2", "1001", "bbbb"), Plain("0000:00:00.3", "1000", "aaaa"),
                Plain("10000:00:02.0"));
        tracker.Sync(host.Matched(host.ParseSpecs()));
        tracker.Devices.Count.ShouldBe(3);
    }

    [Fact]
    public void LC21_RebuiltFromStorage_TreeAndTwoPools()
    {
        var tracker = FixtureT();
        tracker.Find(PfAddress)!.Children.Select(c => c.Address).ShouldBe([Vf1Address, Vf2Address]);
        tracker.Pools.Pools.Count.ShouldBe(2);
    }

    [Fact]
    public void LC5_VfWithoutTrackedPf_NoParentOnePool()
    {
        var tracker = new PciHostBuilder().WithSpec(AllOfBus0).With(Vf(Vf1Address, PfAddress)).Restore();
        tracker.Find(Vf1Address)!.Parent.ShouldBeNull();
        tracker.Pools.Pools.Count.ShouldBe(1);
    }

    [Fact]
    public void LC21_ClaimsAndAllocationsRestored()
    {
        var tracker = FixtureT((PfAddress, Unavailable, null), (Vf1Address, Allocated, "I1"), (Vf2Address, Claimed, "I2"));
        tracker.Allocations["I1"].Select(d => d.Address).ShouldBe([Vf1Address]);
        tracker.Claims["I2"].Select(d => d.Address).ShouldBe([Vf2Address]);
        tracker.Pools.Pools.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("managed")] // LC-2
    [InlineData("live_migratable")] // LC-2
    public void LC2_SpecTagCopiedToExtraInfo(string tag)
    {
        var tracker = new PciHostBuilder()
            .WithSpec($$"""{"address": "0000:00:02.2", "{{tag}}": "no"}""")
            .WithSpec($$"""{"address": "0000:00:02.3", "{{tag}}": "yes"}""")
            .With(Plain("0000:00:02.2"), Plain("0000:00:02.3")).Build();
        (tracker.Find("0000:00:02.2")!.ExtraInfo[tag], tracker.Find("0000:00:02.3")!.ExtraInfo[tag]).ShouldBe(("false", "true"));
    }

    [Fact]
    public void LC2_InvalidManagedValue_TrackerCannotStart()
    {
        var host = new PciHostBuilder().WithSpec("""{"address": "0000:00:02.4", "managed": "invalid"}""").With(Plain("0000:00:02.4"));
        Should.Throw<PciException>(host.Build).Error.Kind.ShouldBe(PciErrorKinds.PciConfigInvalidSpec);
    }

    [Fact]
    public void LC14_CleanUp_KeepsMigratingInstances()
    {
        var (tracker, _) = ThreeDevices();
        tracker.ClaimForInstance("I1", [Alias(1, "product_id=aaaa")]);
        tracker.AllocateForInstance("I1");
        tracker.ClaimForInstance("I2", [Alias(1, "product_id=bbbb")]);
        tracker.AllocateForInstance("I2");
        tracker.CleanUp(["I1"], ["I2"]).ShouldBeEmpty();
        var freed = tracker.CleanUp(["I1"], []);
        freed.Single().Address.ShouldBe("0000:00:00.2");
        tracker.Pools.Contains(freed[0]).ShouldBeTrue();
        tracker.Allocations.Keys.ShouldBe(["I1"]);
    }

    [Fact]
    public void LC10_LC11_ClaimThenAllocate_ClaimsBecomeAllocations()
    {
        var (tracker, _) = ThreeDevices();
        var picks = tracker.ClaimForInstance("I1", [Alias(2, "product_id=aaaa")]);
        picks.Select(p => p.Device.Address).ShouldBe(["0000:00:00.1", "0000:00:00.3"]); // one pool per device (PL-1 address)
        picks.ShouldAllBe(p => p.Device.Status == Claimed && p.Device.RequestId == "r1");
        tracker.AllocateForInstance("I1").Count.ShouldBe(2);
        tracker.Claims.ShouldBeEmpty();
        tracker.Allocations["I1"].ShouldAllBe(d => d.Status == Allocated);
    }

    [Fact]
    public void LC10_NoRequestsOrNoDevices_ClaimsNothing()
    {
        var (tracker, _) = ThreeDevices();
        tracker.ClaimForInstance("I1", []).ShouldBeEmpty();
        new PciDeviceTracker(NovaRelease.Latest, []).ClaimForInstance("I1", [Alias(1, "vendor_id=1000")]).ShouldBeEmpty();
    }

    [Fact]
    public void LC10_ConsumeFails_NothingClaimed()
    {
        var (tracker, _) = ThreeDevices();
        Should.Throw<PciException>(() => tracker.ClaimForInstance("I1", [Alias(3, "product_id=aaaa")]))
            .Error.Kind.ShouldBe(PciErrorKinds.PciDeviceRequestFailed);
        tracker.Devices.ShouldAllBe(d => d.Status == Available);
        tracker.Claims.ShouldBeEmpty();
    }

    [Fact]
    public void LC10_NumaGuestGetsNumaLessDevice_Warning()
    {
        var (tracker, _) = ThreeDevices();
        tracker.ClaimForInstance("I1", [Alias(1, "product_id=aaaa")], hostCellIds: [0]);
        tracker.TakeWarnings().Single().ShouldContain("without NUMA affinity");
    }

    [Fact]
    public void LC15_SIM42_FreedPfChildrenThenPf_AppendedToPoolEnds()
    {
        var tracker = new PciHostBuilder(NovaRelease.Zed).WithSpec(AllOfBus0)
            .With(Pf(PfAddress), Vf(Vf1Address, PfAddress), Vf(Vf2Address, PfAddress), Vf("0000:00:03.1", "0000:00:01.2"))
            .Build();
        tracker.ClaimForInstance("I1", [Alias(1, "dev_type=type-PF")]);
        tracker.AllocateForInstance("I1");
        tracker.Pools.Pools.Single(p => p.Count > 0).Devices.Select(d => d.Address).ShouldBe(["0000:00:03.1"]);
        tracker.FreeInstance("I1").Select(d => d.Address).ShouldBe([Vf1Address, Vf2Address, PfAddress]);
        var vfPool = tracker.Pools.Pools.Single(p => p.Keys["dev_type"].AsString == "type-VF");
        vfPool.Devices.Select(d => d.Address).ShouldBe(["0000:00:03.1", Vf1Address, Vf2Address]);
        tracker.Pools.Consume([Alias(1, "dev_type=type-VF")]).Single().Device.Address.ShouldBe(Vf2Address);
    }

    [Fact]
    public void LC13_FreeOneDevice_OnlyForItsOwner()
    {
        var (tracker, _) = ThreeDevices();
        var device = tracker.ClaimForInstance("I1", [Alias(1, "product_id=bbbb")]).Single().Device;
        tracker.FreeDevice(device, "I2").ShouldBeEmpty();
        tracker.FreeDevice(device, "I1").ShouldBe([device]);
        tracker.Claims.ShouldBeEmpty();
    }

    [Fact]
    public void Clone_IsIndependent()
    {
        var (tracker, _) = ThreeDevices();
        var clone = tracker.Clone();
        clone.ClaimForInstance("I1", [Alias(1, "product_id=bbbb")]);
        (tracker.Find("0000:00:00.2")!.Status, clone.Find("0000:00:00.2")!.Status).ShouldBe((Available, Claimed));
        (tracker.Pools.Pools.Sum(p => p.Count), clone.Pools.Pools.Sum(p => p.Count)).ShouldBe((3, 2));
    }
}
