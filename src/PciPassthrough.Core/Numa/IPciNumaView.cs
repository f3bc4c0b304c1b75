using PciPassthrough.Core.Requests;

namespace PciPassthrough.Core.Numa;

/// <summary>
/// What NUMA fitting asks of a host's PCI device pools (05 NF-9 step 3, NF-11): how many free devices sit on a
/// host cell, and whether the PCI requests can be satisfied when the guest lands on given host cells.
/// Implemented by the pools (both the compute's own and the scheduler's summary view); read-only.
/// </summary>
public interface IPciNumaView
{
    /// <summary>Σ count of the pools whose NUMA node is <paramref name="hostCellId"/> (NUMA-less pools count for nobody).</summary>
    long FreeCountOn(int hostCellId);

    /// <summary>Σ count of the pools on <paramref name="hostCellId"/> whose identity matches <paramref name="request"/>: more
    /// than the request can get from that cell under any NUMA policy.</summary>
    long MatchingCountOn(PciRequest request, int hostCellId);

    /// <summary><c>support(requests, cells)</c> of 04 PL-15 with the guest's cells placed on <paramref name="hostCellIds"/>.</summary>
    bool Supports(IReadOnlyList<PciRequest> requests, IReadOnlyList<int> hostCellIds);
}
