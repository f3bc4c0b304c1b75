using Microsoft.EntityFrameworkCore;

namespace PciPassthrough.Server.Controller.Store;

/// <summary>The controller's store, beside Placement's in the same database: the API's objects and the global event
/// log every replica folds into its engine. One subclass per engine, because EF Core keys each set of migrations by
/// context type; its own history table keeps its migrations apart from Placement's.</summary>
public abstract class ControllerDb(DbContextOptions options) : DbContext(options)
{
    public const string HistoryTable = "__ControllerMigrationsHistory";

    public DbSet<FlavorRow> Flavors => Set<FlavorRow>();
    public DbSet<ImageRow> Images => Set<ImageRow>();
    public DbSet<PortRow> Ports => Set<PortRow>();
    public DbSet<ServerRow> Servers => Set<ServerRow>();
    public DbSet<HostRow> Hosts => Set<HostRow>();
    public DbSet<EventRow> Events => Set<EventRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<FlavorRow>(flavor => flavor.HasKey(f => f.Name));
        modelBuilder.Entity<ImageRow>(image => image.HasKey(i => i.Name));
        modelBuilder.Entity<PortRow>(port =>
        {
            port.HasKey(p => p.Id);
            port.HasIndex(p => p.Project);
            port.HasIndex(p => p.Server);
        });
        modelBuilder.Entity<ServerRow>(server =>
        {
            server.HasKey(s => s.Id);
            server.HasIndex(s => s.Project);
        });
        modelBuilder.Entity<HostRow>(host => host.HasKey(h => h.Name));
        modelBuilder.Entity<EventRow>(entry =>
        {
            entry.HasKey(e => e.Sequence);
            entry.Property(e => e.Sequence).ValueGeneratedNever();
        });
    }
}

/// <summary>The embedded default: one SQLite file. Migrations under <c>ControllerMigrations/Sqlite</c>.</summary>
public sealed class SqliteControllerDb(DbContextOptions<SqliteControllerDb> options) : ControllerDb(options);

/// <summary>The shared store of several replicas. Migrations under <c>ControllerMigrations/Postgres</c>.</summary>
public sealed class PostgresControllerDb(DbContextOptions<PostgresControllerDb> options) : ControllerDb(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // Byte order, as SQLite compares: listings sort the same on both engines, whatever the server's locale.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
                     .Where(p => p.ClrType == typeof(string)))
        {
            property.SetCollation("C");
        }
    }
}
