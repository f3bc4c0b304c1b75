namespace PciPassthrough.Server;

/// <summary>How <c>pcictl serve</c> runs the controller.</summary>
/// <param name="Listen">host:port Kestrel binds (port 0 picks a free one).</param>
/// <param name="DataDirectory">Where the default SQLite file lives.</param>
/// <param name="Database">A PostgreSQL connection string (<c>Host=…;Database=…</c>) or a SQLite one; null → the
/// SQLite file under <paramref name="DataDirectory"/>.</param>
/// <param name="AuthToken">The only accepted <c>x-auth-token</c>; null → <c>admin</c> from loopback only.</param>
public sealed record PlacementServerOptions(
    string Listen = PlacementServerOptions.DefaultListen,
    string DataDirectory = ".",
    string? Database = null,
    string? AuthToken = null)
{
    public const string DefaultListen = "127.0.0.1:8780", DatabaseFileName = "placement.db";

    /// <summary>True when <see cref="Database"/> names a PostgreSQL server rather than a SQLite file.</summary>
    public bool UsesPostgres => Database is { } database && database.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    public string ConnectionString => Database ?? $"Data Source={Path.Combine(DataDirectory, DatabaseFileName)}";
}
