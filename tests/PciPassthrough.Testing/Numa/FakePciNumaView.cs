using System.Numerics;
using PciPassthrough.Core.Numa;
using PciPassthrough.Core.Requests;

namespace PciPassthrough.Testing.Numa;

/// <summary>
/// A pool view for NUMA fitting tests: free device counts per host cell and a <c>support</c> answer given by a
/// function of the chosen host cells; counts the support calls. Unless <c>matchingPerCell</c> says otherwise, every cell
/// could hold a whole request, so the fitter's early refusal never applies.
/// </summary>
public sealed class FakePciNumaView(
    IReadOnlyDictionary<int, int> freePerCell, Func<IReadOnlyList<int>, bool>? supports = null,
    IReadOnlyDictionary<int, int>? matchingPerCell = null) : IPciNumaView
{
    public FakePciNumaView()
        : this(new Dictionary<int, int>())
    {
    }

    /// <summary>Host-cell sets passed to <see cref="Supports"/>, in call order.</summary>
    public List<IReadOnlyList<int>> SupportCalls { get; } = [];

    public long FreeCountOn(int hostCellId) => freePerCell.GetValueOrDefault(hostCellId);

    public long MatchingCountOn(PciRequest request, int hostCellId) =>
        matchingPerCell is null ? (long)BigInteger.Max(request.Count, 0) : matchingPerCell.GetValueOrDefault(hostCellId);

    public bool Supports(IReadOnlyList<PciRequest> requests, IReadOnlyList<int> hostCellIds)
    {
        SupportCalls.Add(hostCellIds);
        return supports?.Invoke(hostCellIds) ?? true;
    }
}
