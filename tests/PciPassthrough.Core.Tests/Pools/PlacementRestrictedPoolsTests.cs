using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Pools;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;
using static PciPassthrough.Testing.Devices.PciRequests;

namespace PciPassthrough.Core.Tests.Pools;

/// <summary>
/// 04 §6 placement-restricted cases: a VF pool of pf1 with 2 VFs (the PF itself untracked), PF pools pf2 and pf3, a
/// type-PCI pool pci1 (first: it has no <c>remote_managed</c> key), all dead:beef, each pool carrying its provider.
/// </summary>
public sealed class PlacementRestrictedPoolsTests
{
    private const string Vf = "dev_type=type-VF", Pf = "dev_type=type-PF", PciDevice = "dev_type=type-PCI";

    private static PciDeviceTracker Host(bool secondVfPool = false)
    {
        var builder = new PciHostBuilder().WithSpec("""{"vendor_id": "dead"}""")
            .With(PciRecords.Vf("0000:01:10.1", "0000:01:00.0", "dead", "beef"),
                PciRecords.Vf("0000:01:10.2", "0000:01:00.0", "dead", "beef"))
            .With(secondVfPool
                ? [PciRecords.Vf("0000:02:10.1", "0000:02:00.0", "dead", "beef"), PciRecords.Vf("0000:02:10.2", "0000:02:00.0", "dead", "beef")]
                : [Pf("0000:02:00.0", "dead", "beef"), Pf("0000:03:00.0", "dead", "beef"), Plain("0000:04:00.0", "dead", "beef")]);
        var tracker = builder.Build();
        foreach (var device in tracker.Devices)
        {
            device.ProviderUuid = device.DeviceType == PciDeviceType.Pci ? "pci1" : $"pf{device.Record.ParentAddress?[6] ?? device.Address[6]}";
        }

        tracker.Pools.AssignProviders();
        return tracker;
    }

    private static Dictionary<string, IReadOnlyList<string>> Mapping(params (string Group, string Provider)[] groups) =>
        groups.ToDictionary(g => g.Group, g => (IReadOnlyList<string>)[g.Provider]);

    private static string Remaining(PoolSummary summary) =>
        string.Join(",", summary.Pools.Select(p => $"{p.RpUuid}:{p.Count}"));

    [Fact]
    public void PL17_NoMapping_TakesInOrder()
    {
        var summary = Host().Pools.SchedulerView();
        var after = summary.Apply([Alias(1, Vf, requestId: "rv"), Alias(1, Pf, requestId: "rp"), Alias(1, PciDevice, requestId: "rc")], mapping: Mapping());
        Remaining(after).ShouldBe("pf1:1,pf3:1");
    }

    [Fact]
    public void PL16_MappedProvider_ConsumesThatPoolOnly()
    {
        var summary = Host().Pools.SchedulerView();
        Remaining(summary.Apply([Alias(1, Pf)], mapping: Mapping(("r1-0", "pf3")))).ShouldBe("pci1:1,pf1:2,pf2:1");
    }

    [Fact]
    public void PL11_UnknownProvider_DoesNotFit()
    {
        var summary = Host().Pools.SchedulerView();
        summary.Supports([Alias(1, Pf)], mapping: Mapping(("r1-0", "pf4"))).ShouldBeFalse();
        Remaining(summary).ShouldBe("pci1:1,pf1:2,pf2:1,pf3:1");
    }

    [Fact]
    public void PL16_PortRequest_IgnoresTheMapping()
    {
        Host().Pools.SchedulerView().Supports([Port(Pf, requestId: "r1")], mapping: Mapping(("r1-0", "pf4"))).ShouldBeTrue();
    }

    [Fact]
    public void PL16_TwoGroups_BothPfsConsumed()
    {
        var after = Host().Pools.SchedulerView().Apply([Alias(2, Pf)], mapping: Mapping(("r1-0", "pf2"), ("r1-1", "pf3")));
        Remaining(after).ShouldBe("pci1:1,pf1:2");
    }

    [Fact]
    public void PL16_VfAndPf_VfPoolKeepsOne()
    {
        var after = Host().Pools.SchedulerView().Apply([Alias(1, Vf, requestId: "rv"), Alias(1, Pf, requestId: "rp")],
            mapping: Mapping(("rv-0", "pf1"), ("rp-0", "pf3")));
        Remaining(after).ShouldBe("pci1:1,pf1:1,pf2:1");
    }

    [Fact]
    public void PL17_RepeatedProvider_SubtractedPerOccurrence()
    {
        var after = Host(secondVfPool: true).Pools.SchedulerView().Apply([Alias(3, Vf)],
            mapping: Mapping(("r1-0", "pf1"), ("r1-1", "pf2"), ("r1-2", "pf2")));
        Remaining(after).ShouldBe("pf1:1");
    }

    [Fact]
    public void PL20_StoredProviders_ConsumeExactlyFromThem()
    {
        var tracker = Host(secondVfPool: true);
        var picks = tracker.Pools.Consume([Alias(3, Vf + ";rp_uuids=pf1,pf2,pf2")]);
        picks.Select(p => p.Device.Record.ParentAddress).Order().ShouldBe(["0000:01:00.0", "0000:02:00.0", "0000:02:00.0"]);
    }

    [Fact]
    public void PL20_StoredProvider_ConsumesThatPf()
    {
        var tracker = Host();
        tracker.Pools.Consume([Alias(1, Pf + ";rp_uuids=pf3")]).Single().Device.Address.ShouldBe("0000:03:00.0");
    }

    [Fact]
    public void PL20_TwoPoolsOneProvider_RequestFails()
    {
        var tracker = Host(secondVfPool: true);
        foreach (var device in tracker.Devices)
        {
            device.ProviderUuid = "pf1";
        }

        tracker.Pools.AssignProviders();
        Should.Throw<PciException>(() => tracker.Pools.Consume([Alias(1, Vf + ";rp_uuids=pf1")])).Error.Kind
            .ShouldBe(PciErrorKinds.PciDeviceRequestFailed);
        tracker.Pools.SchedulerView().Supports([Alias(1, Vf)], mapping: Mapping(("r1-0", "pf1"))).ShouldBeFalse();
    }

    [Fact]
    public void PL6_PoolWithTwoProviders_Refused()
    {
        var tracker = Host(secondVfPool: true);
        tracker.Devices.First(d => d.DeviceType == PciDeviceType.VirtualFunction).ProviderUuid = "other";
        Should.Throw<PciException>(tracker.Pools.AssignProviders).Error.Kind.ShouldBe(PciErrorKinds.PlacementPciException);
    }

    [Fact]
    public void PL15_SupportNeverChangesThePools()
    {
        var pools = Host().Pools;
        pools.Supports([Alias(1, Pf), Alias(1, PciDevice, requestId: "r2")]).ShouldBeTrue();
        pools.Pools.Sum(p => p.Count).ShouldBe(5);
        pools.Pools.ShouldAllBe(p => p.Devices.Count == p.Count);
    }
}
