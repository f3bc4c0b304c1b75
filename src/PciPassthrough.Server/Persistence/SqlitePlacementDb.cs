using Microsoft.EntityFrameworkCore;

namespace PciPassthrough.Server.Persistence;

/// <summary>The embedded default: one SQLite file. Its migrations are under <c>Migrations/Sqlite</c>. It keeps no
/// <see cref="UsageRow"/> table: one more table written per claim is one more page in the write-ahead log per commit
/// and more checkpoints inside SQLite's single writer's turn, which cost more than summing (see
/// <see cref="PlacementDb.UsageTotals"/>).</summary>
public sealed class SqlitePlacementDb(DbContextOptions<SqlitePlacementDb> options) : PlacementDb(options);
