using System.Numerics;
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
        capacity.Used.ShouldBe(new Dictionary<string, BigInteger> { ["PCPU"] = 0, ["MEMORY_MB"] = 0 }, ignoreOrder: true);
    }

    [Fact]
    public void SIM45_NegativeMemoryTotal_StillHasAnInventory()
    {
        var host = HostCapacity.Create(sharedCpus: 2, dedicatedCpus: 0, memoryMb: -16384, cpuAllocationRatio: 16,
            ramAllocationRatio: 1.5, reservedHostMemoryMb: 512);

        var verdict = host.Check(Resources(("MEMORY_MB", 1024)));

        host.Inventories[1].ShouldBe(new ResourceInventory("MEMORY_MB", -16384, 512, 1.5, -16384));
        verdict.Reasons.ShouldBe(["MEMORY_MB: needs 1024, more than the largest allocation allowed (max_unit -16384)"]);
        verdict.Free["MEMORY_MB"].ShouldBe(PythonNumber.Of(-25344.0));
    }

    [Fact]
    public void SIM46_MissingInventory_IsAReasonAndHasNoFreeEntry()
    {
        var verdict = Host().Check(Resources(("VCPU", 1), ("PCPU", 1), ("MEMORY_MB", 1024)));

        verdict.Ok.ShouldBeFalse();
        verdict.Reasons.ShouldBe(["no PCPU inventory"]);
        verdict.Free.ShouldBe(new Dictionary<string, PythonNumber> { ["VCPU"] = PythonNumber.Of(64), ["MEMORY_MB"] = PythonNumber.Of(5376.0) },
            ignoreOrder: true);
    }

    [Fact]
    public void SIM46_AmountAboveMaxUnit_IsRejectedEvenWithRatio()
    {
        var verdict = Host().Check(Resources(("VCPU", 5)));

        verdict.Reasons.ShouldBe(["VCPU: needs 5, more than the largest allocation allowed (max_unit 4)"]);
        verdict.Free["VCPU"].ShouldBe(PythonNumber.Of(64));
    }

    [Fact]
    public void SIM46_UsedPlusAmountAboveCapacity_IsRejected()
    {
        var host = Host();
        host.Add(Resources(("MEMORY_MB", 5000)));

        var verdict = host.Check(Resources(("MEMORY_MB", 400)));

        verdict.Reasons.ShouldBe(["MEMORY_MB: needs 400, 376 free of 5376 (5000 in use)"]);
        verdict.Free["MEMORY_MB"].ShouldBe(PythonNumber.Of(376.0));
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

    [Fact]
    public void SIM46_IntegralRatio_ExactIntegerArithmetic() // a 1e308 ratio is Python's int(1e308), not a float
    {
        var host = HostCapacity.Create(sharedCpus: 4, dedicatedCpus: 0, memoryMb: 4096, cpuAllocationRatio: 1e308,
            ramAllocationRatio: 1.5, reservedHostMemoryMb: 512);
        host.Add(Resources(("VCPU", 3)));

        var verdict = host.Check(Resources(("VCPU", 4)));

        verdict.Ok.ShouldBeTrue();
        verdict.Free["VCPU"].ShouldBe(PythonNumber.Of((4 * new BigInteger(1e308)) - 3));
        host.Fits([KeyValuePair.Create("VCPU", 4L)]).ShouldBeTrue();
    }

    [Fact]
    public void SIM45_SIM46_TotalsBeyond64Bits_AreExact()
    {
        var memory = BigInteger.Pow(2, 63);
        var host = HostCapacity.Create(sharedCpus: 0, dedicatedCpus: 2, memoryMb: memory, cpuAllocationRatio: 16,
            ramAllocationRatio: 1.5, reservedHostMemoryMb: 512);

        var verdict = host.Check(Resources(("MEMORY_MB", long.MaxValue)));

        host.Inventories[1].ShouldBe(new ResourceInventory("MEMORY_MB", memory, 512, 1.5, memory));
        verdict.Ok.ShouldBeTrue();
        // Python: float(2**63 - 512) rounds half to even up to 2**63, times 1.5, minus 512 in float arithmetic
        host.Add(Resources(("MEMORY_MB", 512)));
        host.Check(Resources(("MEMORY_MB", 1))).Free["MEMORY_MB"].ToString().ShouldBe("13835058055282163712");
    }

    [Theory]
    [InlineData(double.PositiveInfinity, 4096, "Infinity", true)] // a ratio literal past the double range is float('inf')
    [InlineData(double.PositiveInfinity, 512, "NaN", true)] // (512 − 512) × inf; nothing exceeds NaN
    [InlineData(0.1, 515, "0.30000000000000004", false)] // float arithmetic for a fractional ratio
    public void SIM46_FloatRatio_FloatArithmetic(double ratio, long memoryMb, string free, bool ok)
    {
        var host = HostCapacity.Create(sharedCpus: 4, dedicatedCpus: 0, memoryMb: memoryMb, cpuAllocationRatio: 16,
            ramAllocationRatio: ratio, reservedHostMemoryMb: 512);

        var verdict = host.Check(Resources(("MEMORY_MB", 1)));

        verdict.Free["MEMORY_MB"].ToString().ShouldBe(free);
        verdict.Ok.ShouldBe(ok);
    }

    private static HostCapacity Host() => HostCapacity.Create(sharedCpus: 4, dedicatedCpus: 0, memoryMb: 4096,
        cpuAllocationRatio: 16, ramAllocationRatio: 1.5, reservedHostMemoryMb: 512);

    private static Dictionary<string, long> Resources(params (string Class, long Amount)[] amounts) =>
        amounts.ToDictionary(a => a.Class, a => a.Amount);
}
