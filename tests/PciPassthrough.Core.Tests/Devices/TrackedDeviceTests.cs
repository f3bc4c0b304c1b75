using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Core.Devices.PciDeviceStatus;

namespace PciPassthrough.Core.Tests.Devices;

/// <summary>02 §8, fixture T: PF 0000:00:01.1 with VFs 0000:00:02.1 and 0000:00:02.2, all selected.</summary>
public sealed class TrackedDeviceTests
{
    private const string PfAddress = "0000:00:01.1", Vf1Address = "0000:00:02.1", Vf2Address = "0000:00:02.2";

    private static PciDeviceTracker FixtureT(PciDeviceStatus pf = Available, PciDeviceStatus vf1 = Available,
        PciDeviceStatus vf2 = Available, string? pfOwner = null, string? vf1Owner = null, string? vf2Owner = null) =>
        new PciHostBuilder()
            .WithSpec("""{"vendor_id": "8086"}""")
            .With(PciRecords.Pf(PfAddress), PciRecords.Vf(Vf1Address, PfAddress), PciRecords.Vf(Vf2Address, PfAddress))
            .Restore((PfAddress, pf, pfOwner), (Vf1Address, vf1, vf1Owner), (Vf2Address, vf2, vf2Owner));

    private static (TrackedDevice Pf, TrackedDevice Vf1, TrackedDevice Vf2) Devices(PciDeviceTracker t) =>
        (t.Find(PfAddress)!, t.Find(Vf1Address)!, t.Find(Vf2Address)!);

    private static (PciDeviceStatus, PciDeviceStatus, PciDeviceStatus) Statuses(PciDeviceTracker t) =>
        (t.Find(PfAddress)!.Status, t.Find(Vf1Address)!.Status, t.Find(Vf2Address)!.Status);

    [Fact]
    public void LC1_Capabilities_StoredAsTheSerializersJsonText()
    {
        var record = PciRecords.Pf(PfAddress) with { NetworkCapabilities = ["rx", "tx", "<gso>"], CardSerialNumber = "MT+2043é" };
        var device = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(record).Build().Find(PfAddress)!;
        var expected = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["network"] = record.NetworkCapabilities,
            ["vpd"] = new Dictionary<string, string> { ["card_serial_number"] = record.CardSerialNumber },
        });
        device.ExtraInfo["capabilities"].ShouldBe(expected);
    }

    [Fact]
    public void LC4_Tree_PfHasBothVfsAsChildren()
    {
        var (pf, vf1, vf2) = Devices(FixtureT());
        pf.Children.ShouldBe([vf1, vf2]);
        (vf1.Parent, vf2.Parent).ShouldBe((pf, pf));
    }

    [Fact]
    public void LC6_ClaimPf_ChildrenBecomeUnclaimable() // 02 §8 row 1
    {
        var tracker = FixtureT();
        var (pf, _, _) = Devices(tracker);
        pf.Claim("I1").ShouldBeNull();
        Statuses(tracker).ShouldBe((Claimed, Unclaimable, Unclaimable));
        pf.InstanceId.ShouldBe("I1");
    }

    [Fact]
    public void LC7_AllocateClaimedPf_ChildrenBecomeUnavailable() // row 2
    {
        var tracker = FixtureT();
        var (pf, _, _) = Devices(tracker);
        pf.Claim("I1");
        pf.Allocate("I1");
        Statuses(tracker).ShouldBe((Allocated, Unavailable, Unavailable));
    }

    [Fact]
    public void LC8_FreeAllocatedPf_AllAvailableAndRepooled() // row 3
    {
        var tracker = FixtureT(pf: Allocated, vf1: Unavailable, vf2: Unavailable, pfOwner: "I1");
        tracker.Pools.Pools.ShouldBeEmpty();
        var freed = tracker.FreeInstance("I1");
        freed.Select(d => d.Address).ShouldBe([Vf1Address, Vf2Address, PfAddress]);
        Statuses(tracker).ShouldBe((Available, Available, Available));
        tracker.Pools.Pools.Sum(p => p.Count).ShouldBe(3);
    }

    [Fact]
    public void LC6_ClaimVf_ParentBecomesUnclaimable() // row 4
    {
        var tracker = FixtureT();
        var (_, vf1, _) = Devices(tracker);
        vf1.Claim("I1");
        Statuses(tracker).ShouldBe((Unclaimable, Claimed, Available));
    }

    [Fact]
    public void LC7_AllocateClaimedVf_ParentBecomesUnavailable() // row 5
    {
        var tracker = FixtureT();
        var (_, vf1, _) = Devices(tracker);
        vf1.Claim("I1");
        vf1.Allocate("I1");
        Statuses(tracker).ShouldBe((Unavailable, Allocated, Available));
    }

    [Fact]
    public void LC6_ClaimSecondVf_ParentStaysUnavailable() // row 6
    {
        var tracker = FixtureT(pf: Unavailable, vf1: Allocated, vf1Owner: "I1");
        Devices(tracker).Vf2.Claim("I2");
        Statuses(tracker).ShouldBe((Unavailable, Allocated, Claimed));
    }

    [Fact]
    public void LC8_FreeVfWithBusySibling_ParentKeepsItsStatus() // row 7
    {
        var tracker = FixtureT(pf: Unavailable, vf1: Allocated, vf2: Claimed, vf1Owner: "I1", vf2Owner: "I2");
        var freed = Devices(tracker).Vf1.Free("I1");
        freed.Select(d => d.Address).ShouldBe([Vf1Address]);
        Statuses(tracker).ShouldBe((Unavailable, Available, Claimed));
    }

    [Fact]
    public void LC8_FreeLastBusyVf_ParentAvailableAndBothRepooled() // row 8
    {
        var tracker = FixtureT(pf: Unavailable, vf2: Claimed, vf2Owner: "I2");
        var (pf, _, vf2) = Devices(tracker);
        var freed = tracker.FreeDevice(vf2, "I2");
        freed.ShouldBe([pf, vf2]);
        Statuses(tracker).ShouldBe((Available, Available, Available));
        tracker.Pools.Contains(pf).ShouldBeTrue();
        tracker.Pools.Contains(vf2).ShouldBeTrue();
    }

    [Fact]
    public void LC6_ClaimPfWithInconsistentChild_WarnsAndClaims() // row 9
    {
        var tracker = FixtureT(vf1: Unavailable);
        Devices(tracker).Pf.Claim("I1").ShouldNotBeNull().ShouldContain(Vf1Address);
        Statuses(tracker).ShouldBe((Claimed, Unclaimable, Unclaimable));
    }

    [Fact]
    public void LC7_LC8_AllocateThenFreeInconsistentPf_AllAvailable() // row 10
    {
        var tracker = FixtureT(vf1: Unavailable);
        var (pf, _, _) = Devices(tracker);
        pf.Claim("I1");
        pf.Allocate("I1");
        Statuses(tracker).ShouldBe((Allocated, Unavailable, Unavailable));
        pf.Free();
        Statuses(tracker).ShouldBe((Available, Available, Available));
    }

    [Fact]
    public void LC6_ClaimPfWithClaimedChild_VfInvalidStatusAndNothingChanges() // row 11
    {
        var tracker = FixtureT(vf1: Unavailable, vf2: Claimed, vf2Owner: "I9");
        Should.Throw<PciException>(() => Devices(tracker).Pf.Claim("I1")).Error.Kind
            .ShouldBe(PciErrorKinds.PciDeviceVFInvalidStatus);
        Statuses(tracker).ShouldBe((Available, Unavailable, Claimed));
    }

    [Fact]
    public void LC6_ClaimUnclaimableVf_InvalidStatus() // row 12
    {
        var tracker = FixtureT(pf: Claimed, vf1: Unclaimable, vf2: Unclaimable, pfOwner: "I1");
        var error = Should.Throw<PciException>(() => Devices(tracker).Vf1.Claim("I2")).Error;
        error.Kind.ShouldBe(PciErrorKinds.PciDeviceInvalidStatus);
        error.Message.ShouldBe("cannot claim PCI device 0000:00:02.1: its status is 'unclaimable', expected available.");
    }

    [Fact]
    public void LC6_ClaimVfOfAllocatedPf_PfInvalidStatus() // row 13: VF1 made available by a config change
    {
        var tracker = FixtureT(pf: Allocated, vf1: Available, vf2: Unavailable, pfOwner: "I1");
        Should.Throw<PciException>(() => Devices(tracker).Vf1.Claim("I2")).Error.Kind
            .ShouldBe(PciErrorKinds.PciDevicePFInvalidStatus);
        Statuses(tracker).ShouldBe((Allocated, Available, Unavailable));
    }

    [Fact]
    public void LC7_AllocateVfWithoutClaim_ParentUnavailable() // row 14
    {
        var tracker = FixtureT();
        Devices(tracker).Vf1.Allocate("I1");
        Statuses(tracker).ShouldBe((Unavailable, Allocated, Available));
    }

    [Fact]
    public void LC7_AllocatePfClaimedByAnother_InvalidOwner() // row 15
    {
        var tracker = FixtureT(pf: Claimed, vf1: Unclaimable, vf2: Unclaimable, pfOwner: "I1");
        Should.Throw<PciException>(() => Devices(tracker).Pf.Allocate("I2")).Error.Kind
            .ShouldBe(PciErrorKinds.PciDeviceInvalidOwner);
    }

    [Fact]
    public void LC8_FreeAvailable_InvalidStatus() // row 16
    {
        Should.Throw<PciException>(() => Devices(FixtureT()).Pf.Free()).Error.Kind
            .ShouldBe(PciErrorKinds.PciDeviceInvalidStatus);
    }

    [Fact]
    public void LC8_FreeWithAnotherInstance_InvalidOwner() // row 17
    {
        var tracker = FixtureT(pf: Allocated, vf1: Unavailable, vf2: Unavailable, pfOwner: "I1");
        Should.Throw<PciException>(() => Devices(tracker).Pf.Free("I2")).Error.Kind
            .ShouldBe(PciErrorKinds.PciDeviceInvalidOwner);
        Statuses(tracker).ShouldBe((Allocated, Unavailable, Unavailable));
    }

    [Fact]
    public void LC9_RemoveUnavailableVf_Removed() // row 18
    {
        var tracker = FixtureT(pf: Unavailable, vf1: Unavailable);
        var vf1 = Devices(tracker).Vf1;
        vf1.Remove();
        vf1.Status.ShouldBe(Removed);
    }

    [Fact]
    public void LC9_RemoveAllocatedVf_InvalidStatus() // row 19
    {
        var tracker = FixtureT(pf: Unavailable, vf1: Allocated, vf1Owner: "I1");
        Should.Throw<PciException>(Devices(tracker).Vf1.Remove).Error.Kind.ShouldBe(PciErrorKinds.PciDeviceInvalidStatus);
    }

    [Fact]
    public void LC9_RemoveAvailableWithOwner_InvalidOwner() // row 20
    {
        var tracker = FixtureT(vf2: Available, vf2Owner: "I1");
        Should.Throw<PciException>(Devices(tracker).Vf2.Remove).Error.Kind.ShouldBe(PciErrorKinds.PciDeviceInvalidOwner);
        Devices(tracker).Vf2.Status.ShouldBe(Available);
    }

    [Fact]
    public void LC8_FreeClearsOwnerAndRequest()
    {
        var tracker = FixtureT();
        var (_, vf1, _) = Devices(tracker);
        vf1.Claim("I1");
        vf1.RequestId = "r1";
        vf1.Free("I1");
        (vf1.InstanceId, vf1.RequestId).ShouldBe((null, null));
    }
}
