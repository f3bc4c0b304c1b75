using PciPassthrough.Core.Pools;
using PciPassthrough.Core.Requests;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Devices.PciRequests;

namespace PciPassthrough.Core.Tests.Pools;

/// <summary>04 §6 policy matrix: cells 0,1 on socket 0 and 2,3 on socket 1; one-device pools on NUMA 0, 2, null.</summary>
public sealed class PoolFilterTests
{
    private static DevicePools MatrixPools(bool everyCellHasSocket = true) =>
        new PciHostBuilder()
            .WithCell(0, 0).WithCell(1, everyCellHasSocket ? 0 : null).WithCell(2, 1).WithCell(3, 1)
            .WithSpec("""{"vendor_id": "8086"}""")
            .With(PciRecords.Plain("0000:00:01.0", numa: 0), PciRecords.Plain("0000:00:02.0", numa: 2),
                PciRecords.Plain("0000:00:03.0", numa: null))
            .Build().Pools;

    /// <summary>The NUMA nodes of the kept pools in order, or null when the request fails.</summary>
    private static string? Kept(DevicePools pools, PciNumaPolicy? policy, int[]? cells, int count)
    {
        var candidates = pools.Pools.Select((p, i) => new PoolCandidate(i, p, p.Count)).ToArray();
        var kept = new PoolFilter(pools.HostCells).Run(candidates, Alias(count, "vendor_id=8086", policy), cells, [], out _);
        return kept < 0 ? null : string.Join(",", candidates[..kept].Select(c => c.Keys.Numa.ToString()));
    }

    [Theory]
    [InlineData(PciNumaPolicy.Required, new[] { 0 }, "0", null, null)] // PL-12
    [InlineData(PciNumaPolicy.Required, new[] { 1 }, null, null, null)] // PL-12
    [InlineData(PciNumaPolicy.Required, new[] { 3 }, null, null, null)] // PL-12
    [InlineData(PciNumaPolicy.Required, new[] { 0, 1 }, "0", null, null)] // PL-12
    [InlineData(PciNumaPolicy.Legacy, new[] { 0 }, "0", "0,null", null)] // PL-12
    [InlineData(null, new[] { 0 }, "0", "0,null", null)] // PL-12: unset is legacy
    [InlineData(PciNumaPolicy.Legacy, new[] { 1 }, "null", null, null)] // PL-12
    [InlineData(null, new[] { 3 }, "null", null, null)] // PL-12
    [InlineData(PciNumaPolicy.Legacy, new[] { 0, 1 }, "0", "0,null", null)] // PL-12
    [InlineData(PciNumaPolicy.Preferred, new[] { 0 }, "0", "0,null", "0,null,2")] // PL-12
    [InlineData(PciNumaPolicy.Preferred, new[] { 1 }, "null", "null,0,2", "null,0,2")] // PL-12
    [InlineData(PciNumaPolicy.Preferred, new[] { 3 }, "null", "null,0,2", "null,0,2")] // PL-12
    [InlineData(PciNumaPolicy.Socket, new[] { 0 }, "0", null, null)] // PL-13
    [InlineData(PciNumaPolicy.Socket, new[] { 1 }, "0", null, null)] // PL-13: same socket
    [InlineData(PciNumaPolicy.Socket, new[] { 3 }, "2", null, null)] // PL-13
    [InlineData(PciNumaPolicy.Required, null, "0,2,null", "0,2,null", "0,2,null")] // PL-12: no guest NUMA
    [InlineData(PciNumaPolicy.Socket, null, "0,2,null", "0,2,null", "0,2,null")] // PL-12: no guest NUMA
    [InlineData(PciNumaPolicy.Preferred, null, "0,2,null", "0,2,null", "0,2,null")] // PL-12: no guest NUMA
    public void PL12_PolicyMatrix_KeepsPoolsInOrder(PciNumaPolicy? policy, int[]? cells, string? one, string? two, string? three)
    {
        var pools = MatrixPools();
        (Kept(pools, policy, cells, 1), Kept(pools, policy, cells, 2), Kept(pools, policy, cells, 3)).ShouldBe((one, two, three));
    }

    [Fact]
    public void PL13_SocketPolicy_HostCellWithoutSocket_NoPool()
    {
        var pools = MatrixPools(everyCellHasSocket: false);
        Kept(pools, PciNumaPolicy.Socket, [1], 1).ShouldBeNull();
    }

    [Fact]
    public void PL14_CountZero_StillNeedsAPool()
    {
        var pools = MatrixPools();
        pools.Supports([Alias(0, "vendor_id=dead")]).ShouldBeFalse();
        pools.Supports([Alias(0, "vendor_id=8086")]).ShouldBeTrue();
    }

    [Theory]
    [InlineData("vendor_id=8086;capability_type=pci", false)] // PL-9: pools never have capability_type
    [InlineData("product_id=AAAA", true)] // PL-9: case-insensitive
    [InlineData("vendor_id=8086;product_id=aaaa;resource_class=X;traits=Y", true)] // PL-8: ignored keys
    [InlineData("product_id=bbbb", false)] // PL-9
    public void PL9_SpecMatch(string spec, bool fits)
    {
        var pools = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(PciRecords.Plain("0000:00:01.0")).Build().Pools;
        pools.Supports([Alias(1, spec)]).ShouldBe(fits);
    }

    [Fact]
    public void PL10_AnySpecMapMatches()
    {
        var pools = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(PciRecords.Plain("0000:00:01.0")).Build().Pools;
        var request = Alias(1, "product_id=bbbb") with { Specs = [Map("product_id=bbbb"), Map("product_id=aaaa")] };
        pools.Supports([request]).ShouldBeTrue();
    }

    [Theory]
    [InlineData("vendor_id=dead", null, PoolFilterStep.Spec, 0, 0)] // PL-11 step 1
    [InlineData("vendor_id=8086", PciNumaPolicy.Required, PoolFilterStep.Numa, 2, 0)] // PL-11 step 2: the first request took the NUMA-less one
    public void Explain_NamesTheStepThatRanShort(string spec, PciNumaPolicy? policy, PoolFilterStep step, int matching, int left)
    {
        var shortfall = MatrixPools().Explain([Alias(1, "vendor_id=8086"), Alias(1, spec, policy, "r2")], [1]).ShouldNotBeNull();
        (shortfall.RequestIndex, shortfall.Outcome).ShouldBe((1, new PoolFilterOutcome(step, matching, left)));
    }

    [Fact]
    public void Explain_UnrequestedPfs()
    {
        var pools = new PciHostBuilder().WithSpec("""{"vendor_id": "8086"}""").With(PciRecords.Pf("0000:81:00.0")).Build().Pools;
        pools.SchedulerView().Explain([Alias(1, "vendor_id=8086")])!.Outcome
            .ShouldBe(new PoolFilterOutcome(PoolFilterStep.UnrequestedPhysicalFunctions, 1, 0));
        pools.SchedulerView().Explain([Alias(1, "dev_type=type-PF")]).ShouldBeNull();
    }
}
