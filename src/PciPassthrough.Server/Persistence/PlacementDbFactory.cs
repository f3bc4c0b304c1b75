using Microsoft.EntityFrameworkCore;

namespace PciPassthrough.Server.Persistence;

/// <summary>Registers the context for the engine <see cref="PlacementServerOptions.Database"/> names, and brings a
/// database to the newest schema.</summary>
public static class PlacementDbFactory
{
    private static readonly SqliteConnectionSetup _sqliteSetup = new();

    /// <summary>Pooled contexts: setting up a fresh context's internal services cost a claim about a tenth of its
    /// CPU; a pooled one is reset (change tracker, transaction, connection closed) when its request ends.</summary>
    public static IServiceCollection AddPlacementDb(this IServiceCollection services, PlacementServerOptions options) =>
        options.UsesPostgres
            ? services.AddDbContextPool<PlacementDb, PostgresPlacementDb>(db => db.UseNpgsql(options.ConnectionString))
            : services.AddDbContextPool<PlacementDb, SqlitePlacementDb>(db =>
                db.UseSqlite(options.ConnectionString).AddInterceptors(_sqliteSetup));

    /// <summary>Applies the engine's pending migrations (EF Core takes a database-wide migration lock, so replicas
    /// starting together apply them once).</summary>
    public static async Task MigrateAsync(this PlacementDb db, CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        if (db is SqlitePlacementDb)
        {
            // WAL lets readers run beside the single writer; writers still serialise on SQLite's write lock.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
