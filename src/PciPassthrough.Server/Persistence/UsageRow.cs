namespace PciPassthrough.Server.Persistence;

/// <summary>PostgreSQL only (SQLite sums instead, see <see cref="SqlitePlacementDb"/>): how much of one class one
/// provider's allocations use, always the sum of its <see cref="AllocationRow"/>s (no row: 0), kept so by triggers on
/// the allocations table (migration <c>AllocationUsages</c>), whichever statement writes them. A claim reads this one row instead of summing every allocation of the provider, which cost PostgreSQL
/// most of a claim once a PF held a few hundred VFs. On PostgreSQL the triggers lock the usage rows they change:
/// writers insert allocations in (provider, class) order so they take those locks in one order, and the rare
/// deadlock left (a delete or a move crossing a claim) makes PostgreSQL abort one side, which retries.</summary>
public sealed class UsageRow
{
    public required string ProviderUuid { get; set; }
    public required string ResourceClass { get; set; }
    public long Used { get; set; }
}
