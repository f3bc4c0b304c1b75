using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PciPassthrough.Server.Persistence;

namespace PciPassthrough.Server.Controller.Store;

/// <summary>Registers the controller's context on the database Placement uses, and brings it to the newest
/// schema.</summary>
public static class ControllerDbFactory
{
    private static readonly SqliteConnectionSetup _sqliteSetup = new();

    public static IServiceCollection AddControllerDb(this IServiceCollection services, PlacementServerOptions options) =>
        options.UsesPostgres
            ? services.AddDbContext<ControllerDb, PostgresControllerDb>(db => UsePostgres(db, options.ConnectionString))
            : services.AddDbContext<ControllerDb, SqliteControllerDb>(db =>
                UseSqlite(db, options.ConnectionString).AddInterceptors(_sqliteSetup));

    internal static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder db, string connection) =>
        db.UseSqlite(connection, sqlite => sqlite.MigrationsHistoryTable(ControllerDb.HistoryTable));

    internal static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder db, string connection) =>
        db.UseNpgsql(connection, postgres => postgres.MigrationsHistoryTable(ControllerDb.HistoryTable));

    /// <summary>Applies pending migrations (EF Core's database-wide migration lock makes replicas starting together
    /// apply them once).</summary>
    public static Task MigrateAsync(this ControllerDb db, CancellationToken cancellationToken) =>
        db.Database.MigrateAsync(cancellationToken);
}

/// <summary>For <c>dotnet ef migrations add NAME --context SqliteControllerDb --output-dir
/// ControllerMigrations/Sqlite</c>: generating a migration needs the provider, not a database.</summary>
public sealed class SqliteControllerDbDesignFactory : IDesignTimeDbContextFactory<SqliteControllerDb>
{
    public SqliteControllerDb CreateDbContext(string[] args) =>
        new((DbContextOptions<SqliteControllerDb>)ControllerDbFactory.UseSqlite(
            new DbContextOptionsBuilder<SqliteControllerDb>(), "Data Source=design.db").Options);
}

/// <summary>For <c>dotnet ef migrations add NAME --context PostgresControllerDb --output-dir
/// ControllerMigrations/Postgres</c>.</summary>
public sealed class PostgresControllerDbDesignFactory : IDesignTimeDbContextFactory<PostgresControllerDb>
{
    public PostgresControllerDb CreateDbContext(string[] args) =>
        new((DbContextOptions<PostgresControllerDb>)ControllerDbFactory.UsePostgres(
            new DbContextOptionsBuilder<PostgresControllerDb>(), "Host=localhost;Database=placement").Options);
}
