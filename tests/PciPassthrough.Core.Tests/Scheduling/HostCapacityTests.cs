using PciPassthrough.Core.Scheduling;

namespace PciPassthrough.Core.Tests.Scheduling;

public sealed class HostCapacityTests
{
    [Fact]
    public void SIM45_InventoryFromCells_ClassesWithoutTotalAreLeftOut()
    {
        var capacity = HostCapacity.Create(sharedCpus: 0, dedicatedCpus: 4, memoryMb: 4096, cpuAllocationRatio: 16,
            ramAllocationRatio: 1.5, reservedHostMemoryMb: 512);

        capacity.Inventories.ShouldBe([
            new ResourceInventory("PCPU", 4, 0, 1, 4),
            new ResourceInventory("MEMORY_MB", 4096, 512, 1.5, 4096),
        ]);
        capacity.Used.ShouldBe(new Dictionary<string, long> { ["PCPU"] = 0, ["MEMORY_MB"] = 0 }, ignoreOrder: true);
    }

    [Fact]
    public void SIM46_MissingInventory_IsAReasonAndHasNoFreeEntry()
    {
        var verdict = Host().Check(Resources(("VCPU", 1), ("PCPU", 1), ("MEMORY_MB", 1024)));

        verdict.Ok.ShouldBeFalse();
        verdict.Reasons.ShouldBe(["no PCPU inventory"]);
        verdict.Free.ShouldBe(new Dictionary<string, double> { ["VCPU"] = 64, ["MEMORY_MB"] = 5376 }, ignoreOrder: true);
    }

    [Fact]
    public void SIM46_AmountAboveMaxUnit_IsRejectedEvenWithRatio()
    {
        var verdict = Host().Check(Resources(("VCPU", 5)));

        verdict.Reasons.ShouldBe(["VCPU: needs 5, more than the largest allocation allowed (max_unit 4)"]);
        verdict.Free["VCPU"].ShouldBe(64);
    }

    [Fact]
    public void SIM46_UsedPlusAmountAboveCapacity_IsRejected()
    {
        var host = Host();
        host.Add(Resources(("MEMORY_MB", 5000)));

        var verdict = host.Check(Resources(("MEMORY_MB", 400)));

        verdict.Reasons.ShouldBe(["MEMORY_MB: needs 400, 376 free of 5376 (5000 in use)"]);
        verdict.Free["MEMORY_MB"].ShouldBe(376);
    }

    [Fact]
    public void SIM46_DiskIsNotModelled()
    {
        var verdict = Host().Check(Resources(("DISK_GB", 10_000)));

        verdict.Ok.ShouldBeTrue();
        verdict.Free.ShouldBeEmpty();
    }

    [Fact]
    public void SIM46_DeleteSubtractsAndCloneIsIndependent()
    {
        var host = Host();
        host.Add(Resources(("VCPU", 2), ("CUSTOM_X", 1)));
        var scratch = host.Clone();
        scratch.Add(Resources(("VCPU", 2)));
        host.Add(Resources(("VCPU", 2)), sign: -1);

        host.Used["VCPU"].ShouldBe(0);
        scratch.Used["VCPU"].ShouldBe(4);
        host.Used.ContainsKey("CUSTOM_X").ShouldBeFalse();
    }

    private static HostCapacity Host() => HostCapacity.Create(sharedCpus: 4, dedicatedCpus: 0, memoryMb: 4096,
        cpuAllocationRatio: 16, ramAllocationRatio: 1.5, reservedHostMemoryMb: 512);

    private static Dictionary<string, long> Resources(params (string Class, long Amount)[] amounts) =>
        amounts.ToDictionary(a => a.Class, a => a.Amount);
}
