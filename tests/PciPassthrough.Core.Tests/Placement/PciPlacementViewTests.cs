using PciPassthrough.Core.Devices;
using PciPassthrough.Core.Errors;
using PciPassthrough.Core.Pci;
using PciPassthrough.Core.Placement;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRecords;

namespace PciPassthrough.Core.Tests.Placement;

/// <summary>06 §8 translator cases.</summary>
public sealed class PciPlacementViewTests
{
    private const string Host = "fake-node";

    private static PciPlacementView View(PciHostBuilder host, NovaRelease release = NovaRelease.Latest)
    {
        var tracker = host.Build();
        return PciPlacementView.Build(Host, host.ParseSpecs(), tracker.Devices, release);
    }

    private static PciHostBuilder PfAndVf(string pfClass, string vfClass) =>
        new PciHostBuilder().WithReportInPlacement()
            .WithSpec($$"""{"address": "0000:81:00.0", "product_id": "1528", "resource_class": "{{pfClass}}"}""")
            .WithSpec($$"""{"address": "0000:81:00.*", "product_id": "1515", "resource_class": "{{vfClass}}"}""")
            .With(Pf("0000:81:00.0"), Vf("0000:81:00.1", "0000:81:00.0"), Vf("0000:81:00.2", "0000:81:00.0"));

    [Fact]
    public void PM15_PfThenItsVf_DependentNamesTheVfFirst()
    {
        var error = Should.Throw<PciException>(() => View(PfAndVf("foo", "bar"))).Error;
        error.Kind.ShouldBe(PciErrorKinds.PlacementPciDependentDeviceException);
        error.Message.ShouldStartWith("configuring both 0000:81:00.1 and 0000:81:00.0 is not supported");
    }

    [Fact]
    public void PM13_VfsThenPf_DependentNamesThePfFirst()
    {
        var host = PfAndVf("bar", "foo");
        var tracker = host.Build();
        var devices = tracker.Devices.OrderBy(d => d.DeviceType == PciDeviceType.PhysicalFunction).ToList();
        var error = Should.Throw<PciException>(() => PciPlacementView.Build(Host, host.ParseSpecs(), devices, NovaRelease.Latest))
            .Error;
        error.Kind.ShouldBe(PciErrorKinds.PlacementPciDependentDeviceException);
        error.Message.ShouldStartWith("configuring both 0000:81:00.0 and 0000:81:00.1,0000:81:00.2 is not supported");
    }

    private static PciHostBuilder Siblings(params string[] traits)
    {
        var host = new PciHostBuilder();
        for (var i = 0; i < traits.Length; i++)
        {
            host.WithSpec($$"""{"address": "0000:81:00.{{i + 1}}", "traits": "{{traits[i]}}"}""")
                .With(Vf($"0000:81:00.{i + 1}", "0000:81:00.0"));
        }

        return host;
    }

    [Fact]
    public void PM14_SiblingsSameTraitsAnyOrder_Accepted() =>
        View(Siblings("foo,bar,baz", "foo,baz,bar")).Providers.Single().Devices.Count.ShouldBe(2);

    [Theory]
    [InlineData("foo,bar", "COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_BAR,CUSTOM_FOO")] // PM-14
    [InlineData("foo,bar,baz,extra", "COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_BAR,CUSTOM_BAZ,CUSTOM_EXTRA,CUSTOM_FOO")] // PM-14
    public void PM14_SiblingWithOtherTraits_MixedTraits(string third, string printed)
    {
        var error = Should.Throw<PciException>(() => View(Siblings("foo,bar,baz", "foo,baz,bar", third))).Error;
        error.Kind.ShouldBe(PciErrorKinds.PlacementPciMixedTraitsException);
        error.Message.ShouldContain($"has traits {printed} but");
        error.Message.ShouldContain("have COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_BAR,CUSTOM_BAZ,CUSTOM_FOO;");
    }

    [Fact]
    public void PM14_SiblingsWithOtherClasses_MixedResourceClass()
    {
        var host = new PciHostBuilder()
            .WithSpec("""{"address": "0000:81:00.1", "resource_class": "foo"}""")
            .WithSpec("""{"address": "0000:81:00.2", "resource_class": "bar"}""")
            .With(Vf("0000:81:00.1", "0000:81:00.0"), Vf("0000:81:00.2", "0000:81:00.0"));
        Should.Throw<PciException>(() => View(host)).Error.Kind.ShouldBe(PciErrorKinds.PlacementPciMixedResourceClassException);
    }

    [Fact]
    public void PM6_VfOnItsParentsProvider_PfOnItsOwn()
    {
        var view = View(new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""")
            .With(Vf("0000:81:00.1", "0000:71:00.0"), Pf("0000:72:00.0", "8086", "1528")));
        view.Providers.Select(p => (p.Name, p.ResourceClass, p.Devices.Count)).ShouldBe(
            [("fake-node_0000:72:00.0", "CUSTOM_PCI_8086_1528", 1), ("fake-node_0000:71:00.0", "CUSTOM_PCI_8086_1515", 1)]);
    }

    [Fact]
    public void PM6_ProviderNameUpperCasesTheAddress() =>
        PciPlacementView.ProviderName("compute1", "0000:af:00.0").ShouldBe("compute1_0000:AF:00.0");

    [Fact]
    public void PM19_OneTimeUseParents_GetTheTrait()
    {
        var view = View(new PciHostBuilder().WithReportInPlacement()
            .WithSpec("""{"address": "0000:01:00.0", "one_time_use": "true"}""")
            .WithSpec("""{"address": "0000:02:00.0", "one_time_use": "true"}""")
            .WithSpec("""{"address": "0000:03:00.0"}""")
            .WithSpec("""{"address": "0000:04:00.0", "one_time_use": "false"}""")
            .With(Plain("0000:01:00.0"), Pf("0000:02:00.0"), Pf("0000:03:00.0"), Pf("0000:04:00.0")));
        view.Providers.Select(p => p.Traits!.Contains(StandardNames.OneTimeUseTrait)).ShouldBe([true, true, false, false]);
        view.Providers.Select(p => p.IsOneTimeUse).ShouldBe([true, true, false, false]);
    }

    [Theory]
    [InlineData("true")] // PM-14
    [InlineData("false")] // PM-14: the key alone is refused
    public void PM14_OneTimeUseOnVf_Refused(string value)
    {
        var host = new PciHostBuilder().WithReportInPlacement()
            .WithSpec($$"""{"address": "0000:81:00.1", "one_time_use": "{{value}}"}""")
            .With(Vf("0000:81:00.1", "0000:81:00.0"));
        Should.Throw<PciException>(() => View(host)).Error.Kind.ShouldBe(PciErrorKinds.PlacementPciException);
    }

    [Fact]
    public void PM12_FourProviders_ClassesAndTraits()
    {
        var view = View(new PciHostBuilder().WithReportInPlacement()
            .WithSpec("""{"vendor_id": "10de", "traits": "HW_GPU_API_VULKAN,CUSTOM_GPU,purple"}""")
            .WithSpec("""{"address": "0000:81:02.0", "one_time_use": "true", "traits": "HW_NIC_SRIOV,CUSTOM_PF,pf-white"}""")
            .WithSpec("""{"address": "0000:81:03.*", "traits": "HW_NIC_SRIOV_TRUSTED,CUSTOM_VF,vf-red"}""")
            .With(Plain("0000:81:00.0", "10de", "1db4"), Plain("0000:81:01.0", "10de", "1db4"), Pf("0000:81:02.0"),
                Vf("0000:81:03.1", "0000:81:03.0"), Vf("0000:81:03.2", "0000:81:03.0")));
        view.Providers.Select(p => $"{p.Name} {p.ResourceClass}={p.Devices.Count} {string.Join(",", p.Traits!.Order(StringComparer.Ordinal))}")
            .ShouldBe([
                "fake-node_0000:81:00.0 CUSTOM_PCI_10DE_1DB4=1 COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_GPU,CUSTOM_PURPLE,HW_GPU_API_VULKAN",
                "fake-node_0000:81:01.0 CUSTOM_PCI_10DE_1DB4=1 COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_GPU,CUSTOM_PURPLE,HW_GPU_API_VULKAN",
                "fake-node_0000:81:02.0 CUSTOM_PCI_8086_1528=1 COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_PF,CUSTOM_PF_WHITE,HW_NIC_SRIOV,HW_PCI_ONE_TIME_USE",
                "fake-node_0000:81:03.0 CUSTOM_PCI_8086_1515=2 COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_VF,CUSTOM_VF_RED,HW_NIC_SRIOV_TRUSTED",
            ]);
    }

    [Fact]
    public void PM10_ConfiguredClasses()
    {
        var view = View(new PciHostBuilder()
            .WithSpec("""{"vendor_id": "10de", "resource_class": "PGPU", "traits": "HW_GPU_API_VULKAN"}""")
            .WithSpec("""{"vendor_id": "8086", "resource_class": "crypto", "traits": "to-the-moon,hodl"}""")
            .With(Plain("0000:3b:00.0", "10de", "1db4"), Pf("0000:81:00.0")));
        view.Providers.Select(p => $"{p.ResourceClass}:{string.Join(",", p.Traits!.Order(StringComparer.Ordinal))}").ShouldBe([
            "PGPU:COMPUTE_MANAGED_PCI_DEVICE,HW_GPU_API_VULKAN",
            "CUSTOM_CRYPTO:COMPUTE_MANAGED_PCI_DEVICE,CUSTOM_HODL,CUSTOM_TO_THE_MOON",
        ]);
    }

    [Fact]
    public void PM4_TrackerOrderAndTheSpecOfNow()
    {
        // stored out of address order: processed in the tracker's ascending order, each with the spec selecting it now
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "8086", "resource_class": "accel"}""")
            .With(Plain("0000:83:00.0"), Plain("0000:81:00.0"), Plain("0000:82:00.0"));
        var view = PciPlacementView.Build(Host, host.ParseSpecs(), host.Restore().Devices, NovaRelease.Latest);
        view.Providers.Select(p => (p.Name, p.ResourceClass)).ShouldBe([
            ("fake-node_0000:81:00.0", "CUSTOM_ACCEL"), ("fake-node_0000:82:00.0", "CUSTOM_ACCEL"), ("fake-node_0000:83:00.0", "CUSTOM_ACCEL")]);
    }

    [Fact]
    public void PM7_RemovedDevice_ProviderInViewWithNothing()
    {
        var host = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(Plain("0000:81:00.0"), Plain("0000:82:00.0"));
        var tracker = host.Restore(("0000:82:00.0", PciDeviceStatus.Removed, null));
        var view = PciPlacementView.Build(Host, host.ParseSpecs(), tracker.Devices, NovaRelease.Latest);
        var removed = view.Find("fake-node_0000:82:00.0").ShouldNotBeNull();
        (removed.IsEmpty, removed.ResourceClass, removed.Traits).ShouldBe((true, null, null));
        view.Find("fake-node_0000:81:00.0").ShouldNotBeNull().Devices.Count.ShouldBe(1);
        view.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(NovaRelease.Latest, true)] // PM-8
    [InlineData(NovaRelease.Zed, false)] // PM-8: Nova 26 drops it (scenario-format §6)
    public void PM8_UnconfiguredDevices_OwnedKeptInViewFreeIgnored(NovaRelease release, bool ownedKept)
    {
        // the configuration selects only .1 now; .2 is still allocated, .3 free
        var host = new PciHostBuilder(release).WithSpec("""{"address": "0000:81:00.1"}""")
            .With(Plain("0000:81:00.1"), Plain("0000:81:00.2"), Plain("0000:81:00.3"));
        var tracker = host.Restore(("0000:81:00.2", PciDeviceStatus.Allocated, "I1"));
        var view = PciPlacementView.Build(Host, host.ParseSpecs(), tracker.Devices, release);
        view.Providers.Select(p => (p.Name, p.IsEmpty)).ShouldBe(ownedKept
            ? [("fake-node_0000:81:00.1", false), ("fake-node_0000:81:00.2", true)]
            : [("fake-node_0000:81:00.1", false)]);
        view.Warnings.Count.ShouldBe(2);
        view.Warnings[0].ShouldContain("0000:81:00.2 is allocated to I1 but no [pci] device_spec entry selects it");
        view.Warnings[1].ShouldContain("0000:81:00.3 matches no [pci] device_spec entry");
    }

    [Theory]
    [InlineData("\"physnet1\"", 0)] // PM-5
    [InlineData("null", 1)] // PM-5: null does not exclude
    [InlineData("\"\"", 1)] // PM-5: nor does ""
    public void PM5_PhysnetTaggedDevices_LeftOut(string physnet, int providers) =>
        View(new PciHostBuilder().WithSpec($$"""{"vendor_id": "8086", "physical_network": {{physnet}}}""")
            .With(Vf("0000:81:00.1", "0000:81:00.0"))).Providers.Count.ShouldBe(providers);

    [Fact]
    public void PM2_DevnameWithReporting_RefusesToStart()
    {
        var host = new PciHostBuilder(NovaRelease.Zed).WithSpec("""{"devname": "ens1f0"}""")
            .With(Pf("0000:81:00.0") with { Netdev = "ens1f0" });
        Should.Throw<PciException>(() => View(host, NovaRelease.Zed)).Error.Kind.ShouldBe(PciErrorKinds.PlacementPciException);
    }

    [Fact]
    public void PM1_ReportingWasOnNowOff_RefusesToStart()
    {
        PciPlacementView.EnsureReportingNotDisabled([new HashSet<string> { "CUSTOM_X" }]);
        Should.Throw<PciException>(() => PciPlacementView.EnsureReportingNotDisabled(
            [new HashSet<string> { StandardNames.ManagedPciDeviceTrait, "OWNER_NOVA" }])).Error.Kind
            .ShouldBe(PciErrorKinds.PlacementPciException);
    }

    [Fact]
    public void SIM50_Zed_OnlyConfiguredTraitsAndManaged()
    {
        var view = View(new PciHostBuilder(NovaRelease.Zed)
            .WithSpec("""{"vendor_id": "8086", "traits": "fast", "live_migratable": "true", "one_time_use": "true"}""")
            .With(Pf("0000:81:00.0")), NovaRelease.Zed);
        view.Providers.Single().Traits!.Order(StringComparer.Ordinal).ShouldBe(["COMPUTE_MANAGED_PCI_DEVICE", "CUSTOM_FAST"]);
    }

    [Fact]
    public void SIM50_Zed_BooleanTraitsTag_AttributeError()
    {
        var host = new PciHostBuilder(NovaRelease.Zed).WithSpec("""{"vendor_id": "8086", "traits": true}""").With(Pf("0000:81:00.0"));
        var error = Should.Throw<PciException>(() => View(host, NovaRelease.Zed)).Error;
        (error.Kind, error.NovaException).ShouldBe((PciErrorKinds.AttributeError, false));
    }

    [Fact]
    public void SIM51_Consumers_CountOwnersPerProvider()
    {
        var host = new PciHostBuilder(NovaRelease.Zed).WithSpec("""{"vendor_id": "8086", "product_id": "1515"}""")
            .WithPfAndVfs("0000:81:00.0", 3);
        var tracker = host.Build();
        tracker.ClaimForInstance("vm1", [PciRequests.Alias(2, "product_id=1515")]);
        tracker.ClaimForInstance("vm2", [PciRequests.Alias(1, "product_id=1515")]);
        var view = PciPlacementView.Build(Host, host.ParseSpecs(), tracker.Devices, NovaRelease.Zed);
        view.Providers.Single().Consumers.ShouldBe([KeyValuePair.Create("vm2", 1), KeyValuePair.Create("vm1", 2)]);
    }
}
