using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace PciPassthrough.Server.Persistence;

/// <summary>The shared store of several replicas. Its migrations are under <c>Migrations/Postgres</c>.</summary>
public sealed class PostgresPlacementDb(DbContextOptions<PostgresPlacementDb> options) : PlacementDb(options)
{
    /// <summary>The PostgreSQL error behind <paramref name="e"/>, if any: EF Core wraps the ones it deems transient
    /// (a deadlock) in an <see cref="InvalidOperationException"/>.</summary>
    public static PostgresException? ErrorOf(Exception e) => e as PostgresException ?? e.InnerException as PostgresException;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<UsageRow>().ToTable("Usages").HasKey(u => new { u.ProviderUuid, u.ResourceClass });

        // Byte order, as SQLite compares: names and UUIDs sort the same on both engines, whatever the server's locale.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
                     .Where(p => p.ClrType == typeof(string)))
        {
            property.SetCollation("C");
        }
    }
}
