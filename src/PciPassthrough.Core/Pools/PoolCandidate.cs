namespace PciPassthrough.Core.Pools;

/// <summary>A pool as one filtering run sees it: its position in the view and its count in the current overlay.</summary>
internal readonly record struct PoolCandidate(int Index, IPoolEntry Pool, long Count)
{
    public PoolKeys Keys => Pool.Keys;
}
