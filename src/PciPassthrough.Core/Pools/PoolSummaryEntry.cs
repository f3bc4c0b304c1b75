namespace PciPassthrough.Core.Pools;

/// <summary>One pool of the scheduler's view: identity (tag values as text), count, and its provider when reported.</summary>
public sealed record PoolSummaryEntry(PoolKeys Keys, long Count, string? RpUuid) : IPoolEntry;
