using PciPassthrough.Core.Devices;
using PciPassthrough.Host.Discovery;
using PciPassthrough.Host.NovaConf;
using PciPassthrough.Testing.Sysfs;

namespace PciPassthrough.Host.Tests.Discovery;

public sealed class HostInventoryTests
{
    [Fact]
    public void Discover_WithoutConfig_MatchesNothing()
    {
        using var host = FakeSysfsHosts.Nvme().Build();

        var inventory = HostInventory.Discover(host.Root);

        inventory.IsConfigured.ShouldBeFalse();
        inventory.Tracker.ShouldBeNull();
        inventory.Devices.ShouldAllBe(d => d.Spec == null && d.NoMatchReason == null && d.Tracked == null);
    }

    [Fact]
    public void LC16_SelectedDevices_AreTrackedAvailableAndPooled()
    {
        using var host = FakeSysfsHosts.DualSocketSriov().Build();

        var inventory = HostInventory.Discover(host.Root, Conf("""device_spec = {"vendor_id": "8086", "product_id": "154c"}"""));

        inventory.Tracker.ShouldNotBeNull().Devices.Count.ShouldBe(8);
        inventory.Devices.Where(d => d.Tracked is not null).ShouldAllBe(d => d.Tracked!.Status == PciDeviceStatus.Available);
        inventory.Tracker.Pools.Pools.Sum(p => p.Count).ShouldBe(8);
        inventory.Devices.Single(d => d.Record.Address == "0000:18:00.0").NoMatchReason
            .ShouldBe("no device_spec selects it: #1 wants product_id 154c");
    }

    [Fact]
    public void LC2_ManagedTag_IsCopiedToTheTrackedDevice()
    {
        using var host = FakeSysfsHosts.Nvme().Build();

        var inventory = HostInventory.Discover(host.Root, Conf("""device_spec = {"vendor_id": "144d", "managed": "no"}"""));

        inventory.Devices.ShouldAllBe(d => d.Tracked!.ExtraInfo["managed"] == "false");
    }

    [Fact]
    public void Discover_SpecErrors_AreLocatedAndNothingIsTracked()
    {
        using var host = FakeSysfsHosts.Nvme().Build();

        var inventory = HostInventory.Discover(host.Root, Conf("""
            device_spec = {"vendor_id": "144d"}
            device_spec = {"vendor_id": "XYZ"}
            """));

        var (location, error) = inventory.ConfigErrors.ShouldHaveSingleItem();
        (location.File, location.Line).ShouldBe(("nova.conf", 3));
        error.Kind.ShouldBe("PciConfigInvalidSpec");
        inventory.Tracker.ShouldBeNull();
        inventory.IsConfigured.ShouldBeTrue();
    }

    private static NovaConfOptions Conf(string pci) =>
        NovaConfOptions.Read(NovaConfParser.Parse($"[pci]\n{pci}\n", "nova.conf"));
}
