using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Pools;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Scheduling.Filters;

/// <summary>
/// A host's pool summary seen through one allocation candidate (05 NF-15): the fitter's PCI check on chosen cells
/// (<c>support</c> with cells) runs with the candidate's mapping (04 PL-16); the cell ordering reads the summary as is.
/// </summary>
internal sealed class CandidatePoolView(PoolSummary pools, AllocationCandidate candidate) : IPciNumaView
{
    public long FreeCountOn(int hostCellId) => pools.FreeCountOn(hostCellId);

    public long MatchingCountOn(PciRequest request, int hostCellId) => pools.MatchingCountOn(request, hostCellId);

    public bool Supports(IReadOnlyList<PciRequest> requests, IReadOnlyList<int> hostCellIds) =>
        pools.Supports(requests, hostCellIds, candidate.Mappings);
}
