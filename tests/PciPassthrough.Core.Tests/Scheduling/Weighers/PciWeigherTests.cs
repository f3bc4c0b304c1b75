using PciPassthrough.Core.Scheduling.Weighers;

namespace PciPassthrough.Core.Tests.Scheduling.Weighers;

public sealed class PciWeigherTests
{
    [Theory] // 05 §6 weigher cases: pool counts per host → final weights
    [InlineData("3,1|", new[] { 0.0, 1.0 })] // no-PCI server: h2 without pools wins
    [InlineData("2,2,2|3,1", new[] { 0.0, 1.0 })]
    [InlineData("4,1|10|1,1,1,1", new[] { 5.0 / 6, 0.0, 1.0 })] // PCI server ×4
    [InlineData("500|2000", new[] { 0.0, 0.0 })] // both capped
    public void NF18_NF19_FewerFreeDevicesWeighMore(string pools, double[] expected)
    {
        var hosts = Hosts(pools);

        var totals = HostWeighing.Weigh(hosts, [new PciWeigher()]);

        totals.Length.ShouldBe(expected.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            totals[i].ShouldBe(expected[i], tolerance: 1e-9);
        }
    }

    [Fact]
    public void NF18_HostWithoutSummary_HasRawWeight100() =>
        new PciWeigher().Weigh(new WeighedHostInfo("h", null, [])).ShouldBe(100);

    [Fact]
    public void NF19_MultiplierZero_AllZero() =>
        HostWeighing.Weigh(Hosts("2,2,2|3,1"), [new PciWeigher(0)]).ShouldAllBe(w => w == 0);

    [Fact]
    public void NF19_SingleHost_IsNotWeighed() =>
        HostWeighing.Weigh(Hosts("3"), [new PciWeigher()]).ShouldBe([0.0]);

    [Fact]
    public void NF20_AggregateValues_MinimumOverridesConfig() =>
        new PciWeigher(0).Multiplier(new WeighedHostInfo("h", 1, [Aggregate("2"), Aggregate("1.5"), new Dictionary<string, string>()]))
            .ShouldBe(1.5);

    [Fact]
    public void NF20_UnparsableAggregateValue_FallsBackToConfig() =>
        new PciWeigher(0.5).Multiplier(new WeighedHostInfo("h", 1, [Aggregate("2"), Aggregate("lots")])).ShouldBe(0.5);

    [Fact]
    public void NF20_BothHostsInAggregate_WinnerGetsTheAggregateMultiplier()
    {
        var hosts = Hosts("2,2,2|3,1", aggregate: "1.5");

        var totals = HostWeighing.Weigh(hosts, [new PciWeigher(0)]);

        totals.ShouldBe([0.0, 1.5]);
        HostWeighing.Pick(totals).ShouldBe(1);
    }

    [Fact]
    public void Pick_Tie_KeepsTheEarlierHost() => HostWeighing.Pick([1.0, 2.0, 2.0]).ShouldBe(1);

    [Fact]
    public void Pick_NoHost_IsNull() => HostWeighing.Pick([]).ShouldBeNull();

    private static IReadOnlyDictionary<string, string> Aggregate(string multiplier) =>
        new Dictionary<string, string> { [PciWeigher.MultiplierKey] = multiplier };

    private static WeighedHostInfo[] Hosts(string pools, string? aggregate = null) =>
        [.. pools.Split('|').Select((counts, i) => new WeighedHostInfo(
            $"h{i + 1}",
            counts.Length == 0 ? 0 : counts.Split(',').Sum(int.Parse),
            aggregate is null ? [] : [Aggregate(aggregate)]))];
}
