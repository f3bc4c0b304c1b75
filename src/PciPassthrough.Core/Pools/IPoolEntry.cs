namespace PciPassthrough.Core.Pools;

/// <summary>What the filtering pipeline (04 §3) reads of a pool, in both the compute's and the scheduler's view.</summary>
public interface IPoolEntry
{
    PoolKeys Keys { get; }
    long Count { get; }

    /// <summary>The pool's Placement provider (04 PL-6), or null.</summary>
    string? RpUuid { get; }
}
