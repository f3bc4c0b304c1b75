using PciPassthrough.Core.Numa;

namespace PciPassthrough.Core.Tests.Numa;

/// <summary>
/// SIM-39: the order in which Nova's host cell iterates its sibling sets, on 16 CPUs with siblings (n, n+8) — expected
/// values printed by Nova's own objects (NUMACell built, deep-copied, read back from JSON).
/// </summary>
public sealed class CpuSetOrderTests
{
    private static readonly int[] _cpus = [.. Enumerable.Range(0, 16)];
    private static readonly int[][] _pairs = [[0, 8], [1, 9], [2, 10], [11, 3], [4, 12], [13, 5], [6, 14], [15, 7]];
    private static readonly int[][] _ascendingPairs = [.. Enumerable.Range(0, 8).Select(n => new[] { n, n + 8 })];

    private static CpuSetOrder Built() => CpuSetOrder.Build(_cpus, _cpus, _ascendingPairs)!;

    [Fact]
    public void SIM39_BuiltCell_IteratesCollidingPairsHighFirst()
    {
        var order = Built();

        order.Siblings.ShouldBe(_pairs);
        order.Pcpus.ShouldBe(_cpus);
    }

    [Fact]
    public void SIM39_FreeSiblings_ReinsertTheCpusAndSoFlipThePairsBack() =>
        Built().FreeSiblings([]).ShouldBe(_ascendingPairs);

    [Fact]
    public void SIM39_FreeSiblings_LeaveOutPinnedCpus() =>
        Built().FreeSiblings([0, 1, 8]).Take(4).ShouldBe([[], [9], [2, 10], [3, 11]]);

    [Fact]
    public void SIM39_DeepCopy_FlipsThePairs_JsonRoundTripKeepsThem()
    {
        Built().DeepCopied().Siblings.ShouldBe(_ascendingPairs);
        Built().RoundTripped().Siblings.ShouldBe(_pairs);
        Built().Coerced().Siblings.ShouldBe(_ascendingPairs);
    }

    [Fact]
    public void SIM39_NoSetWithTwoCpus_NeedsNoOrder() =>
        CpuSetOrder.Build(_cpus, _cpus, _cpus.Select(cpu => new[] { cpu })).ShouldBeNull();
}
