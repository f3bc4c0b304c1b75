using PciPassthrough.Core.Libvirt;
using PciPassthrough.Host.Agent;
using PciPassthrough.Testing.Sysfs;
using static PciPassthrough.Host.Tests.Agent.LibvirtProbeTests;

namespace PciPassthrough.Host.Tests.Agent;

public sealed class VfTrustApplierTests
{
    /// <summary>A PF <c>ens1f0</c> with 4 VFs; the VF address of index n is read back from the tree.</summary>
    private static FakeSysfs Nic() => new FakeSysfsBuilder().WithSriovNic("0000:81:00.0", vfs: 4, ifname: "ens1f0").Build();

    private static string Vf(FakeSysfs sysfs, int index) =>
        sysfs.Functions.Single(f => f.ParentAddress == "0000:81:00.0" && f.VfIndex == index).Address;

    [Fact]
    public void LV10_Command_NamesThePfNetdevAndTheVfNumber()
    {
        using var sysfs = Nic();

        VfTrustApplier.Command(sysfs.Root, Vf(sysfs, 2), trust: true, out var problem)
            .ShouldBe(["ip", "link", "set", "ens1f0", "vf", "2", "trust", "on"]);
        problem.ShouldBeNull();
        VfTrustApplier.Command(sysfs.Root, Vf(sysfs, 0), trust: false, out _).ShouldBe(["ip", "link", "set", "ens1f0", "vf", "0", "trust", "off"]);
    }

    [Fact]
    public void LV10_Command_ForWhatIsNotAVfOfANetdevPf_SaysWhy()
    {
        using var sysfs = new FakeSysfsBuilder().WithSriovNic("0000:81:00.0", vfs: 1, ifname: null).Build();

        VfTrustApplier.Command(sysfs.Root, Vf(sysfs, 0), true, out var noNetdev).ShouldBeNull();
        noNetdev.ShouldBe("its PF has no network interface (physfn/net is missing or empty)");
        VfTrustApplier.Command(sysfs.Root, "0000:99:00.1", true, out var missing).ShouldBeNull();
        missing!.ShouldStartWith("0000:99:00.1 is not a PCI function under ");
    }

    [Fact]
    public async Task LV10_Apply_TurnsListedVfsOnOnce_AndOffWhenNoLongerListed()
    {
        using var sysfs = Nic();
        var runner = new CannedRunner(_ => new CommandResult(0, "", ""));
        var applier = new VfTrustApplier(sysfs.Root, runner);
        var (vf1, vf3) = (Vf(sysfs, 1), Vf(sysfs, 3));
        var token = TestContext.Current.CancellationToken;

        await applier.ApplyAsync([new("vm", "p1", vf1), new("vm", "p2", vf3)], token);
        await applier.ApplyAsync([new("vm", "p1", vf1), new("vm", "p2", vf3)], token);
        var lines = await applier.ApplyAsync([new VfTrustSetting("vm", "p2", vf3)], token);

        runner.Commands.ShouldBe([
            "ip link set ens1f0 vf 1 trust on", "ip link set ens1f0 vf 3 trust on", "ip link set ens1f0 vf 1 trust off"]);
        lines.ShouldBe([$"VF {vf1} (released): ip link set ens1f0 vf 1 trust off"]);
    }

    [Fact]
    public async Task LV10_Apply_AFailedCommand_IsReportedAndRetriedNextRound()
    {
        using var sysfs = Nic();
        var fail = true;
        var runner = new CannedRunner(_ => fail ? new CommandResult(1, "", "RTNETLINK answers: Operation not permitted\n") : new(0, "", ""));
        var applier = new VfTrustApplier(sysfs.Root, runner);
        VfTrustSetting[] listed = [new("vm", "p1", Vf(sysfs, 1))];

        (await applier.ApplyAsync(listed, TestContext.Current.CancellationToken)).ShouldBe([
            $"VF {Vf(sysfs, 1)} (server vm port p1): ip link set ens1f0 vf 1 trust on failed (exit 1): " +
            "RTNETLINK answers: Operation not permitted"]);
        fail = false;
        await applier.ApplyAsync(listed, TestContext.Current.CancellationToken);

        runner.Commands.Count.ShouldBe(2);
    }

    [Fact]
    public async Task LV10_Apply_WithoutARunner_OnlySaysWhatItWouldRun()
    {
        using var sysfs = Nic();

        var lines = await new VfTrustApplier(sysfs.Root, null).ApplyAsync([new("vm", "p1", Vf(sysfs, 2))], TestContext.Current.CancellationToken);

        lines.ShouldBe([$"VF {Vf(sysfs, 2)} (server vm port p1): would run: ip link set ens1f0 vf 2 trust on"]);
    }

    /// <summary>
    /// The exact command line, run by the real <c>ip</c> against an interface that does not exist: <c>ip</c> parses the
    /// whole line and only then looks the PF up, so "Cannot find device" (not a usage error) proves the syntax
    /// without root or SR-IOV hardware.
    /// </summary>
    [Fact]
    public async Task LV10_Command_IsAnIpLineThatIpAccepts()
    {
        var ip = new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip" }.FirstOrDefault(File.Exists);
        Assert.SkipWhen(ip is null, "no ip (iproute2) on this machine");
        using var sysfs = new FakeSysfsBuilder().WithSriovNic("0000:81:00.0", vfs: 2, ifname: "pcipt-absent0").Build();
        var command = VfTrustApplier.Command(sysfs.Root, Vf(sysfs, 1), trust: true, out _)!;

        var result = await new ProcessCommandRunner().RunAsync([ip!, .. command.Skip(1)], TestContext.Current.CancellationToken);
        var typo = await new ProcessCommandRunner().RunAsync(
            [ip!, .. command.Skip(1).Select(a => a == "trust" ? "trusst" : a)], TestContext.Current.CancellationToken);

        (result.ExitCode, result.Error.Trim()).ShouldBe((1, "Cannot find device \"pcipt-absent0\""));
        typo.Error.ShouldNotContain("Cannot find device");
    }
}
