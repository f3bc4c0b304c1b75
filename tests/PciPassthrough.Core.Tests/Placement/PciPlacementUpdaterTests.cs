using PciPassthrough.Core.Config;
using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Placement;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;

namespace PciPassthrough.Core.Tests.Placement;

/// <summary>06 PM-1, PM-3, PM-22: start and periodic runs; the restart cases of 06 §8.</summary>
public sealed class PciPlacementUpdaterTests
{
    private const string Host = "fake-node", PfProvider = "fake-node_0000:81:00.0";
    private const string PfClass = "CUSTOM_PCI_8086_1528", VfClass = "CUSTOM_PCI_8086_1515";

    private int _uuids;

    private PciPlacementUpdater Updater(bool reportInPlacement = true) => new(Host, reportInPlacement, () => $"uuid-{++_uuids}");

    /// <summary>A compute's state after one run, and the Placement it wrote.</summary>
    private sealed record Compute(PciDeviceTracker Tracker, DeviceSpecSet Specs, PciPlacementUpdate Update, PlacementState Placement);

    /// <summary>A compute started with <paramref name="host"/>, the given devices allocated (their owners hold only
    /// compute resources until healing), and what it wrote.</summary>
    private Compute Started(PciHostBuilder host, params (string Address, string Owner)[] allocated)
    {
        var tracker = host.Restore([.. allocated.Select(a => (a.Address, PciDeviceStatus.Allocated, (string?)a.Owner))]);
        var specs = host.ParseSpecs();
        var owners = allocated.Select(a => a.Owner).Distinct().ToDictionary(
            o => o, _ => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>)new Dictionary<string, IReadOnlyDictionary<string, int>>());
        var before = PlacementState.Empty with { Allocations = owners };
        var update = Updater().Start(tracker, specs, before, []);
        return new(tracker, specs, update, Written(update.Plan!, before));
    }

    /// <summary>02 LC-21 then a start: the devices stored by <paramref name="before"/> restored under
    /// <paramref name="after"/>'s configuration, synced with its report, and reported against what Placement kept.</summary>
    private Compute Restarted(Compute before, PciHostBuilder after)
    {
        var specs = after.ParseSpecs();
        var tracker = PciDeviceTracker.Restore(NovaRelease.Latest, [], before.Tracker.Devices.Select(d => d.ToStored()),
            r => specs.Match(r).Spec);
        tracker.Sync(after.Matched(specs));
        var update = Updater().Start(tracker, specs, before.Placement, []);
        return new(tracker, specs, update, Written(update.Plan!, before.Placement));
    }

    /// <summary>What Placement holds once <paramref name="plan"/> is written.</summary>
    private static PlacementState Written(PciPlacementPlan plan, PlacementState before)
    {
        var replaced = plan.DeletedProviders.Concat(plan.Providers.Select(p => p.Name)).ToHashSet(StringComparer.Ordinal);
        var providers = before.Providers.Where(p => !replaced.Contains(p.Name)).Concat(plan.Providers.Select(p =>
            new PlacementProviderState(p.Name, p.Uuid, p.Traits)));
        var allocations = plan.Allocations.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>)
            c.Value.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)p.Value));
        return new([.. providers], allocations);
    }

    private static IEnumerable<(string Name, string ResourceClass, int Total)> Inventories(Compute compute) =>
        compute.Update.Plan!.Providers.Select(p => (p.Name, p.ResourceClass, p.Total));

    private static PciHostBuilder PfWithVfs(string spec, int vfs) =>
        new PciHostBuilder().WithSpec(spec).WithPfAndVfs("0000:81:00.0", vfs);

    private static PciHostBuilder DeadBeefPf(string spec = """{"vendor_id": "dead"}""") =>
        new PciHostBuilder().WithSpec(spec).With(Pf("0000:81:00.0", "dead", "beef"));

    [Fact]
    public void PM1_ReportingOff_NothingWritten()
    {
        var host = PfWithVfs("""{"product_id": "1515"}""", 2);
        var update = Updater(reportInPlacement: false).Start(host.Build(), host.ParseSpecs(), PlacementState.Empty, []);
        update.ShouldBe(PciPlacementUpdate.None);
    }

    [Fact]
    public void PM1_ReportingSwitchedOff_RefusedAtStartReportedWhenPeriodic()
    {
        var host = PfWithVfs("""{"product_id": "1515"}""", 2);
        var reported = Started(host).Placement;
        var updater = Updater(reportInPlacement: false);
        Should.Throw<PciException>(() => updater.Start(host.Build(), host.ParseSpecs(), reported, []))
            .Error.Kind.ShouldBe(PciErrorKinds.PlacementPciException);
        updater.Periodic(host.Build(), host.ParseSpecs(), reported, []).Error!.Kind.ShouldBe(PciErrorKinds.PlacementPciException);
    }

    [Fact]
    public void PM3_RefusalAtStart_StopsTheService()
    {
        var host = PfWithVfs("""{"vendor_id": "8086"}""", 1);
        Should.Throw<PciException>(() => Updater().Start(host.Build(), host.ParseSpecs(), PlacementState.Empty, []))
            .Error.Kind.ShouldBe(PciErrorKinds.PlacementPciDependentDeviceException);
    }

    [Fact]
    public void PM3_RefusalInPeriodicRun_ReturnedAndNothingWritten()
    {
        var host = PfWithVfs("""{"vendor_id": "8086"}""", 1);
        var tracker = host.Build();
        var update = Updater().Periodic(tracker, host.ParseSpecs(), PlacementState.Empty, []);
        (update.View, update.Plan, update.Error!.Kind).ShouldBe((null, null, PciErrorKinds.PlacementPciDependentDeviceException));
        tracker.Pools.Pools.ShouldAllBe(p => p.RpUuid == null);
    }

    [Fact]
    public void PM3_RunsOnTheSyncedDevices_ProvidersRecorded()
    {
        var host = PfWithVfs("""{"product_id": "1515"}""", 2);
        var compute = Started(host);
        Inventories(compute).ShouldBe([(PfProvider, VfClass, 2)]);
        compute.Tracker.Devices.Where(d => d.Spec is not null).ShouldAllBe(d => d.ProviderUuid == "uuid-1");
        compute.Tracker.Pools.Pools.Single().RpUuid.ShouldBe("uuid-1");
    }

    [Fact]
    public void PM22_EveryPeriodicRun_HealsAllocationsMadeWithoutPlacement()
    {
        var host = DeadBeefPf();
        var compute = Started(host);
        compute.Tracker.ClaimForInstance("I1", [PciRequests.Alias(1, "dev_type=type-PF")]);
        compute.Tracker.AllocateForInstance("I1");
        var scheduledWithoutPci = compute.Placement with
        {
            Allocations = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>>
            {
                ["I1"] = new Dictionary<string, IReadOnlyDictionary<string, int>>(),
            },
        };
        var plan = Updater().Periodic(compute.Tracker, compute.Specs, scheduledWithoutPci, []).Plan!;
        plan.AllocationsChanged.ShouldBeTrue();
        plan.Allocations["I1"]["uuid-1"].ShouldBe(new Dictionary<string, int> { ["CUSTOM_PCI_DEAD_BEEF"] = 1 });
    }

    [Fact]
    public void PM17_Restart_ConfigEmptied_ProviderDeleted()
    {
        var before = new PciHostBuilder().WithSpec("""{"vendor_id": "dead"}""").With(Plain("0000:81:00.0", "dead", "beef"));
        var after = new PciHostBuilder().With(Plain("0000:81:00.0", "dead", "beef"));
        var plan = Restarted(Started(before), after).Update.Plan!;
        (plan.DeletedProviders.Single(), plan.Providers.Count).ShouldBe((PfProvider, 0));
    }

    [Theory]
    [InlineData(1, 1)] // PM-17: one VF left on the host
    [InlineData(0, 0)] // PM-17: none left, provider deleted
    public void PM17_Restart_VfsGone_TotalFollows(int vfsLeft, int total)
    {
        const string Spec = """{"product_id": "1515"}""";
        var compute = Restarted(Started(PfWithVfs(Spec, 2)), PfWithVfs(Spec, vfsLeft));
        Inventories(compute).ShouldBe(total == 0 ? [] : [(PfProvider, VfClass, total)]);
        compute.Update.Plan!.DeletedProviders.ShouldBe(total == 0 ? [PfProvider] : []);
    }

    [Theory]
    [InlineData("1515", "1528", PfClass, 1)] // PM-13: VFs → their PF, same provider
    [InlineData("1528", "1515", VfClass, 2)] // PM-14: PF → its VFs
    public void PM17_Restart_PfAndVfsSwapped_SameProviderNewClass(string before, string after, string resourceClass, int total)
    {
        var compute = Restarted(Started(PfWithVfs($$"""{"product_id": "{{before}}"}""", 2)),
            PfWithVfs($$"""{"product_id": "{{after}}"}""", 2));
        Inventories(compute).ShouldBe([(PfProvider, resourceClass, total)]);
        compute.Update.Plan!.Providers.Single().IsNew.ShouldBeFalse();
    }

    [Fact]
    public void PM12_Restart_ClassesAndTraitsChanged_Replaced()
    {
        static PciHostBuilder Host(string pfTags, string vfTags) => new PciHostBuilder()
            .WithSpec($$"""{"address": "0000:81:00.0"{{pfTags}}}""").WithSpec($$"""{"product_id": "1515"{{vfTags}}}""")
            .With(Pf("0000:81:00.0"), Pf("0000:81:01.0"), Vf("0000:81:01.1", "0000:81:01.0"), Vf("0000:81:01.2", "0000:81:01.0"));
        var compute = Restarted(Started(Host("", "")), Host(
            """, "resource_class": "CUSTOM_PF", "traits": "HW_NIC_SRIOV,pf-black" """,
            """, "resource_class": "CUSTOM_VF", "traits": "HW_NIC_SRIOV_TRUSTED,vf-blue,foobar" """));
        compute.Update.Plan!.Providers.Select(p => (p.Name, p.ResourceClass, p.IsNew, string.Join(",", p.Traits.Order()))).ShouldBe(
        [
            (PfProvider, "CUSTOM_PF", false, "COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_PF_BLACK,HW_NIC_SRIOV,OWNER_NOVA"),
            ("fake-node_0000:81:01.0", "CUSTOM_VF", false,
                "COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_FOOBAR,CUSTOM_VF_BLUE,HW_NIC_SRIOV_TRUSTED,OWNER_NOVA"),
        ]);
    }

    [Fact]
    public void PM16_Restart_AllocatedPfConfigEmptied_KeptUntilTheServerIsDeleted()
    {
        var compute = Restarted(Started(DeadBeefPf(), ("0000:81:00.0", "I1")), DeadBeefPf("""{"vendor_id": "8086"}"""));
        Inventories(compute).ShouldBe([(PfProvider, "CUSTOM_PCI_DEAD_BEEF", 1)]);
        compute.Placement.Allocations["I1"]["uuid-1"].ShouldBe(new Dictionary<string, int> { ["CUSTOM_PCI_DEAD_BEEF"] = 1 });
        // PM-8 device without spec, PM-16 adjustment
        (compute.Update.View!.Warnings.Count, compute.Update.Plan!.Warnings.Count).ShouldBe((1, 1));

        compute.Tracker.FreeInstance("I1");
        var deleted = compute.Placement with { Allocations = PlacementState.Empty.Allocations };
        var plan = Updater().Periodic(compute.Tracker, compute.Specs, deleted, []).Plan!;
        (plan.DeletedProviders.Single(), plan.Providers.Count).ShouldBe((PfProvider, 0));
    }

    [Theory]
    [InlineData(1, 1)] // PM-16: 1 of 1 VFs allocated, inventory kept at 1
    [InlineData(2, 1)] // PM-16: 1 of 2 VFs allocated, inventory 2 → 1
    public void PM16_Restart_AllocatedVfConfigEmptied_InventoryDownToUsage(int vfs, int total)
    {
        var before = Started(PfWithVfs("""{"product_id": "1515"}""", vfs), ("0000:81:10.1", "I1"));
        Inventories(before).ShouldBe([(PfProvider, VfClass, vfs)]);
        Inventories(Restarted(before, PfWithVfs("""{"product_id": "ffff"}""", vfs))).ShouldBe([(PfProvider, VfClass, total)]);
    }

    [Fact]
    public void PM20_Restart_AllocatedPfSwitchedToItsVf_RefusesToStart()
    {
        var before = Started(PfWithVfs("""{"product_id": "1528"}""", 1), ("0000:81:00.0", "I1"));
        Should.Throw<PciException>(() => Restarted(before, PfWithVfs("""{"product_id": "1515"}""", 1)))
            .Error.Kind.ShouldBe(PciErrorKinds.PlacementPciException);
    }

    [Fact]
    public void PM16_Restart_AllocatedPfVanished_ProviderAndAllocationKept()
    {
        var compute = Restarted(Started(DeadBeefPf(), ("0000:81:00.0", "I1")), new PciHostBuilder().WithSpec("""{"vendor_id": "dead"}"""));
        Inventories(compute).ShouldBe([(PfProvider, "CUSTOM_PCI_DEAD_BEEF", 1)]);
        compute.Placement.Allocations["I1"]["uuid-1"].ShouldBe(new Dictionary<string, int> { ["CUSTOM_PCI_DEAD_BEEF"] = 1 });
    }
}
