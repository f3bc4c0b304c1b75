using Microsoft.EntityFrameworkCore;

namespace PciPassthrough.Server.Persistence;

/// <summary>The Placement store. Provider and consumer generations are concurrency tokens: an UPDATE that finds
/// another generation than the one it read fails, so two writers (or two replicas) never both succeed. One subclass
/// per engine, because EF Core keys each set of migrations by context type.</summary>
public abstract class PlacementDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<ProviderRow> Providers => Set<ProviderRow>();
    public DbSet<InventoryRow> Inventories => Set<InventoryRow>();
    public DbSet<AllocationRow> Allocations => Set<AllocationRow>();

    /// <summary>Used amount per provider and class, with rows only where allocations exist: PostgreSQL's
    /// trigger-kept <see cref="UsageRow"/> table, summed from the allocations on SQLite (which has no such table).</summary>
    public IQueryable<UsageRow> UsageTotals => this is SqlitePlacementDb
        ? Allocations.GroupBy(a => new { a.ProviderUuid, a.ResourceClass }).Select(g => new UsageRow
        {
            ProviderUuid = g.Key.ProviderUuid,
            ResourceClass = g.Key.ResourceClass,
            Used = g.Sum(a => (long)a.Used),
        })
        : Set<UsageRow>().Where(u => u.Used > 0);

    /// <summary><see cref="UsageTotals"/> as plain SQL (provider, class, used), for a batch of raw reads.</summary>
    public string UsageTotalsSql => this is SqlitePlacementDb
        ? """SELECT "ProviderUuid", "ResourceClass", SUM("Used") FROM "Allocations" GROUP BY "ProviderUuid", "ResourceClass" """
        : """SELECT "ProviderUuid", "ResourceClass", "Used" FROM "Usages" WHERE "Used" > 0 """;
    public DbSet<ConsumerRow> Consumers => Set<ConsumerRow>();
    public DbSet<NameRow> CustomResourceClasses => Set<NameRow>("CustomResourceClass");
    public DbSet<NameRow> CustomTraits => Set<NameRow>("CustomTrait");
    public DbSet<ProviderLinkRow> ProviderTraits => Set<ProviderLinkRow>("ProviderTrait");
    public DbSet<ProviderLinkRow> ProviderAggregates => Set<ProviderLinkRow>("ProviderAggregate");

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ProviderRow>(provider =>
        {
            provider.HasKey(p => p.Uuid);
            provider.HasIndex(p => p.Name).IsUnique();
            provider.HasIndex(p => p.ParentUuid);
            provider.HasIndex(p => p.RootUuid);
            provider.Property(p => p.Generation).IsConcurrencyToken();
            provider.HasIndex(p => p.CreationOrder).IsUnique();
            provider.Property(p => p.CreationOrder).ValueGeneratedOnAdd();
        });
        modelBuilder.Entity<InventoryRow>(inventory =>
        {
            inventory.HasKey(i => new { i.ProviderUuid, i.ResourceClass });
            inventory.Ignore(i => i.Capacity);
        });
        modelBuilder.Entity<AllocationRow>(allocation =>
        {
            allocation.HasIndex(a => a.ConsumerUuid);
            // Covering: a claim sums the other consumers' usage of a provider's class from the index alone.
            allocation.HasIndex(a => new { a.ProviderUuid, a.ResourceClass, a.ConsumerUuid, a.Used });
        });
        modelBuilder.Entity<ConsumerRow>(consumer =>
        {
            consumer.HasKey(c => c.Uuid);
            consumer.HasIndex(c => c.ProjectId);
            consumer.Property(c => c.Generation).IsConcurrencyToken();
        });
        foreach (var name in new[] { "CustomResourceClass", "CustomTrait" })
        {
            modelBuilder.SharedTypeEntity<NameRow>(name, n =>
            {
                n.HasKey(r => r.Name);
                n.HasIndex(r => r.CreationOrder).IsUnique();
                n.Property(r => r.CreationOrder).ValueGeneratedOnAdd();
            });
        }

        foreach (var link in new[] { "ProviderTrait", "ProviderAggregate" })
        {
            modelBuilder.SharedTypeEntity<ProviderLinkRow>(link, l =>
            {
                l.HasKey(r => new { r.ProviderUuid, r.Value });
                l.HasIndex(r => r.Value);
            });
        }
    }
}
