using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Scheduling.Filters;
using static PciPassthrough.Testing.Scheduling.SchedulingBuilders;

namespace PciPassthrough.Core.Tests.Scheduling.Filters;

/// <summary>05 §6 filter cases of <c>PciPassthroughFilter</c> (NF-14).</summary>
public sealed class PciPassthroughFilterTests
{
    private static readonly PciPassthroughFilter _filter = new();

    [Fact]
    public void NF14_NoPciRequest_Passes() => _filter.Check(Host("h", vfs: 0) with { Pools = null }, Server(vfs: 0)).ShouldBeNull();

    [Fact]
    public void NF14_RequestAndNoSummary_Fails() =>
        _filter.Check(Host("h", vfs: 2) with { Pools = null }, Server(vfs: 1))!.Reason.ShouldContain("no PCI device pools");

    [Fact]
    public void NF14_RequestAndASummaryWithoutPools_Fails()
    {
        var rejection = _filter.Check(Host("h", vfs: 0), Server(vfs: 1));

        rejection!.Filter.ShouldBe(HostChecks.PciPassthroughFilter);
        rejection.Reason.ShouldContain("no device of the host matches");
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void NF14_WithoutCandidates_TheSummaryDecides(int vfs, bool passes) =>
        (_filter.Check(Host("h", vfs: 2), Server(vfs)) is null).ShouldBe(passes);

    [Fact]
    public void NF14_ThreeCandidates_OnlyTheOneTheSummarySupportsIsKept()
    {
        // r1-0 is the request's group: a mapping to a provider no pool has leaves nothing for it (04 PL-16)
        AllocationCandidate[] candidates = [Candidate("r1-0", "rp-unknown"), Candidate("other", "rp-x"), Candidate("r1-0", "rp-other")];

        var (rejection, kept) = _filter.Evaluate(Host("h", vfs: 2) with { AllocationCandidates = candidates }, Server(vfs: 1));

        rejection.ShouldBeNull();
        kept.ShouldBe([candidates[1]]);
    }

    [Fact]
    public void NF14_OneCandidateTheSummaryRefuses_FailsWithNoCandidateLeft()
    {
        var (rejection, kept) = _filter.Evaluate(
            Host("h", vfs: 2) with { AllocationCandidates = [Candidate("r1-0", "rp-unknown")] }, Server(vfs: 1));

        rejection!.Reason.ShouldStartWith("none of the host's 1 allocation candidates");
        kept.ShouldBeEmpty();
    }

    private static AllocationCandidate Candidate(string group, string provider) =>
        new([KeyValuePair.Create(group, (IReadOnlyList<string>)[provider])]);
}
