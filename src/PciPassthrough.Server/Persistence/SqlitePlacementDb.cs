using Microsoft.EntityFrameworkCore;

namespace PciPassthrough.Server.Persistence;

/// <summary>The embedded default: one SQLite file. Its migrations are under <c>Migrations/Sqlite</c>.</summary>
public sealed class SqlitePlacementDb(DbContextOptions<SqlitePlacementDb> options) : PlacementDb(options);
