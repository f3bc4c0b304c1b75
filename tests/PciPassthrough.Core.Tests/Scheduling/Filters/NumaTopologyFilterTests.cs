using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Requests;
using PciPassthrough.Core.Scheduling;
using PciPassthrough.Core.Scheduling.Filters;
using PciPassthrough.Testing.Devices;
using static PciPassthrough.Testing.Numa.NumaBuilders;
using static PciPassthrough.Testing.Scheduling.SchedulingBuilders;

namespace PciPassthrough.Core.Tests.Scheduling.Filters;

/// <summary><c>NUMATopologyFilter</c> (05 NF-15, scenario-format SIM-34 step 3).</summary>
public sealed class NumaTopologyFilterTests
{
    private static readonly NumaTopologyFilter _filter = new();

    [Fact]
    public void NF15_NoGuestTopology_Passes() => _filter.Check(Host("h", vfs: 0) with { Numa = null }, Server(vfs: 0)).ShouldBeNull();

    [Fact]
    public void NF15_GuestTopologyAndNoHostTopology_Fails() =>
        _filter.Check(Host("h", vfs: 0) with { Numa = null }, Server(vfs: 0, Guest(1, 1, 512)))!.Reason.ShouldContain("reports none");

    [Fact]
    public void NF15_BothTopologies_TheFitDecidesAndIsReturned()
    {
        var (rejection, fit) = _filter.Evaluate(Host("h", vfs: 2), Server(vfs: 1, Guest(1, 2, 1024)));

        rejection.ShouldBeNull();
        fit!.Cells.Single().HostCellId.ShouldBe(0);
    }

    [Fact]
    public void NF15_GuestLargerThanTheCell_FailsWithTheCellsItTried()
    {
        var rejection = _filter.Check(Host("h", vfs: 2), Server(vfs: 0, Guest(1, 2, 65536)));

        rejection!.Filter.ShouldBe(HostChecks.NumaTopologyFilter);
        rejection.Reason.ShouldContain("fits no host cell");
    }

    [Fact]
    public void NF15_RequiredPciOnACellWithoutDevices_Fails()
    {
        var host = Host("h", vfs: 2) with { Numa = new HostNumaTopology([HostCell(0, 0, 8, 16384), HostCell(1, 8, 8, 16384)]) };
        var guest = Guest(1, 2, 1024);
        var server = Server(vfs: 3, guest) with
        {
            PciRequests = [PciRequests.Alias(3, VfRequest, PciNumaPolicy.Required)],
        };

        _filter.Check(host, server)!.Reason.ShouldContain("PCI");
    }

    [Fact]
    public void SIM34_DedicatedRequireOnAHostWithoutSmt_Fails() =>
        _filter.Check(Host("h", vfs: 0), Server(vfs: 0) with { CpuPolicies = new CpuPolicyWords("dedicated", null, "require", null) })!
            .Reason.ShouldContain("SMT");

    [Fact]
    public void NF15_Candidates_OnlyThoseWhoseProvidersFitTheCellsAreKept()
    {
        // r1-0 is the request's group: a mapping to a provider no pool has leaves nothing on the cell (04 PL-16)
        AllocationCandidate[] candidates = [Candidate("r1-0", "rp-unknown"), Candidate("other", "rp-x")];
        var host = Host("h", vfs: 2) with { AllocationCandidates = candidates };
        var server = Server(vfs: 1, Guest(1, 2, 1024));

        _filter.Reduce(host, server).ShouldBe([candidates[1]]);
        _filter.Evaluate(host, server).Fit!.Cells.Single().HostCellId.ShouldBe(0);
    }

    [Fact]
    public void NF15_NoCandidateFits_Fails()
    {
        var host = Host("h", vfs: 2) with { AllocationCandidates = [Candidate("r1-0", "rp-unknown")] };
        var server = Server(vfs: 1, Guest(1, 2, 1024));

        _filter.Reduce(host, server).ShouldBeEmpty();
        _filter.Check(host, server)!.Filter.ShouldBe(HostChecks.NumaTopologyFilter);
    }

    private static AllocationCandidate Candidate(string group, string provider) =>
        new([KeyValuePair.Create(group, (IReadOnlyList<string>)[provider])]);
}
