using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Placement;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;

namespace PciPassthrough.Core.Tests.Placement;

/// <summary>06 §8 one-time use and adjustment cases; healing (PM-21). Restart cases: <see cref="PciPlacementUpdaterTests"/>.</summary>
public sealed class PciPlacementPlanTests
{
    private const string Host = "fake-node", PfProvider = "fake-node_0000:72:00.0", DeadBeef = "CUSTOM_PCI_DEAD_BEEF";

    private static PciPlacementPlan Plan(PciHostBuilder host, PciDeviceTracker tracker, PlacementState? state = null,
        params string[] sameHostResize)
    {
        var view = PciPlacementView.Build(Host, host.ParseSpecs(), tracker.Devices, NovaRelease.Latest);
        var next = 0;
        return PciPlacementPlan.Create(view, state ?? PlacementState.Empty, () => $"uuid-{++next}", sameHostResize);
    }

    private static PlacementState State(string providerUuid, string name, params (string Consumer, string ResourceClass, int Amount)[] usage) =>
        new([new PlacementProviderState(name, providerUuid, new HashSet<string> { StandardNames.ManagedPciDeviceTrait })],
            usage.ToDictionary(u => u.Consumer, u => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>)
                new Dictionary<string, IReadOnlyDictionary<string, int>>
                {
                    [providerUuid] = new Dictionary<string, int> { [u.ResourceClass] = u.Amount },
                }));

    private static PciHostBuilder OneTimeUseHost() => new PciHostBuilder().WithReportInPlacement()
        .WithSpec("""{"vendor_id": "dead", "one_time_use": "true"}""")
        .With(Plain("0000:71:00.0", "dead", "beef"), Pf("0000:72:00.0", "dead", "beef"));

    [Fact]
    public void PM18_DevicesAndPoolsRecordTheirProvider()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""")
            .With(Vf("0000:81:00.1", "0000:71:00.0"), Pf("0000:72:00.0"));
        var tracker = host.Build();
        var plan = Plan(host, tracker);
        plan.Providers.Select(p => (p.Name, p.Uuid, p.IsNew, p.Total)).ShouldBe(
            [(PfProvider, "uuid-1", true, 1), ("fake-node_0000:71:00.0", "uuid-2", true, 1)]);
        plan.RecordProviders(tracker.Pools);
        tracker.Find("0000:81:00.1")!.ProviderUuid.ShouldBe("uuid-2");
        tracker.Pools.Pools.Select(p => p.RpUuid).Order().ShouldBe(["uuid-1", "uuid-2"]);
    }

    [Fact]
    public void PM12_EveryProviderIsOwnedByNova()
    {
        var host = OneTimeUseHost();
        Plan(host, host.Build()).Providers.ShouldAllBe(p => p.Traits.Contains(StandardNames.OwnerNovaTrait));
    }

    [Fact]
    public void PM19_OneTimeUse_ReservedOnceInUseAndNeverLowered()
    {
        var host = OneTimeUseHost();
        var tracker = host.Build();
        Plan(host, tracker).Providers.Select(p => p.Reserved).ShouldBe([null, null]);
        var pf = tracker.Find("0000:72:00.0")!;
        pf.Allocate("I1");
        Plan(host, tracker).Providers.Select(p => p.Reserved).ShouldBe([null, 1]);
        tracker.FreeInstance("I1");
        pf.Free();
        Plan(host, tracker).Providers.Select(p => p.Reserved).ShouldBe([null, null]); // null: Placement keeps its value
    }

    [Fact]
    public void PM17_NoDeviceLeft_ProviderDeleted()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "dead"}""").With(Pf("0000:72:00.0", "dead", "beef"));
        var tracker = host.Build();
        tracker.Sync([]);
        var plan = Plan(host, tracker, State("u1", PfProvider));
        (plan.DeletedProviders.Single(), plan.Providers.Count).ShouldBe((PfProvider, 0));
    }

    [Fact]
    public void PM16_AllocatedPf_NoAdjustment()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "dead"}""").With(Pf("0000:72:00.0", "dead", "beef"));
        var tracker = host.Restore(("0000:72:00.0", PciDeviceStatus.Allocated, "I1"));
        var provider = Plan(host, tracker, State("u1", PfProvider, ("I1", DeadBeef, 1))).Providers.Single();
        (provider.ResourceClass, provider.Adjustment, provider.Total, provider.IsNew).ShouldBe((DeadBeef, 0, 1, false));
    }

    [Fact]
    public void PM16_MoreInUseThanDevices_Adjusted()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "dead"}""").With(Vf("0000:72:00.1", "0000:72:00.0", "dead", "beef"));
        var tracker = host.Restore(("0000:72:00.1", PciDeviceStatus.Allocated, "I1"));
        var plan = Plan(host, tracker, State("u1", PfProvider, ("I1", DeadBeef, 2)));
        (plan.Providers.Single().Adjustment, plan.Providers.Single().Total).ShouldBe((1, 2));
        plan.Warnings.Single().ShouldContain("needed to adjust inventories");
    }

    [Fact]
    public void PM16_ConfigRemovedWhileAllocated_ClassAdoptedAndKept()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(Pf("0000:72:00.0", "dead", "beef"));
        var tracker = host.Restore(("0000:72:00.0", PciDeviceStatus.Allocated, "I1"));
        var provider = Plan(host, tracker, State("u1", PfProvider, ("I1", DeadBeef, 1))).Providers.Single();
        (provider.ResourceClass, provider.Adjustment, provider.Total).ShouldBe((DeadBeef, 1, 1));
    }

    [Fact]
    public void PM18_ManagedProviderOutOfView_Deleted()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(Pf("0000:81:00.0"));
        Plan(host, host.Build(), State("u9", "fake-node_0000:99:00.0")).DeletedProviders.ShouldBe(["fake-node_0000:99:00.0"]);
    }

    [Fact]
    public void PM20_AllocatedPfSwitchedToItsVf_RefusesToStart()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "dead", "product_id": "bee0"}""")
            .With(Pf("0000:72:00.0", "dead", "beef"), Vf("0000:72:00.1", "0000:72:00.0", "dead", "bee0"));
        var tracker = host.Restore(("0000:72:00.0", PciDeviceStatus.Allocated, "I1"), ("0000:72:00.1", PciDeviceStatus.Unavailable, null));
        Should.Throw<PciException>(() => Plan(host, tracker, State("u1", PfProvider, ("I1", DeadBeef, 1))))
            .Error.Kind.ShouldBe(PciErrorKinds.PlacementPciException);
    }

    [Fact]
    public void PM21_Healing_AddsMissingSkipsMigratingAndResizing()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "dead"}""")
            .With(Plain("0000:72:00.0", "dead", "beef"), Plain("0000:73:00.0", "dead", "beef"), Plain("0000:74:00.0", "dead", "beef"));
        var tracker = host.Restore(("0000:72:00.0", PciDeviceStatus.Allocated, "I1"), ("0000:73:00.0", PciDeviceStatus.Allocated, "I2"),
            ("0000:74:00.0", PciDeviceStatus.Allocated, "I3"));
        var empty = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        var state = new PlacementState([], new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>>
        {
            ["I1"] = empty,
            ["I3"] = empty,
        });
        var plan = Plan(host, tracker, state, "I3");
        plan.AllocationsChanged.ShouldBeTrue();
        plan.Allocations["I1"].Single().Key.ShouldBe("uuid-1");
        plan.Allocations["I1"]["uuid-1"].ShouldBe(new Dictionary<string, int> { [DeadBeef] = 1 });
        plan.Allocations.ContainsKey("I2").ShouldBeFalse(); // held by a migration
        plan.Allocations["I3"].ShouldBeEmpty(); // same-host resize
    }

    [Fact]
    public void PM21_CorrectAllocation_NothingToHeal()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "dead"}""").With(Pf("0000:72:00.0", "dead", "beef"));
        var tracker = host.Restore(("0000:72:00.0", PciDeviceStatus.Allocated, "I1"));
        Plan(host, tracker, State("u1", PfProvider, ("I1", DeadBeef, 1))).AllocationsChanged.ShouldBeFalse();
    }
}
