using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PciPassthrough.Server.Persistence;

/// <summary>For <c>dotnet ef migrations add NAME --context SqlitePlacementDb --output-dir Migrations/Sqlite</c>:
/// generating a migration needs the provider, not a database.</summary>
public sealed class SqlitePlacementDbDesignFactory : IDesignTimeDbContextFactory<SqlitePlacementDb>
{
    public SqlitePlacementDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePlacementDb>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>For <c>dotnet ef migrations add NAME --context PostgresPlacementDb --output-dir Migrations/Postgres</c>.</summary>
public sealed class PostgresPlacementDbDesignFactory : IDesignTimeDbContextFactory<PostgresPlacementDb>
{
    public PostgresPlacementDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPlacementDb>().UseNpgsql("Host=localhost;Database=placement").Options);
}
