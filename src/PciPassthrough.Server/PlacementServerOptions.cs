using Microsoft.Data.Sqlite;
using Npgsql;
using PciPassthrough.Core.Simulation;

namespace PciPassthrough.Server;

/// <summary>How <c>pcictl serve</c> runs the controller.</summary>
/// <param name="Listen">host:port Kestrel binds (port 0 picks a free one).</param>
/// <param name="DataDirectory">Where the default SQLite file lives.</param>
/// <param name="Database">A PostgreSQL connection string (<c>Host=…;Database=…</c>) or a SQLite one; null → the
/// SQLite file under <paramref name="DataDirectory"/>.</param>
/// <param name="AuthTokens">The accepted <c>x-auth-token</c>s, each <c>TOKEN[:ROLE,…][@PROJECT]</c> (roles default
/// to admin); none → Placement's noauth2 test mode from loopback only (PA-4, <c>PlacementCredentials</c>).</param>
/// <param name="RandomizeAllocationCandidates">Placement's <c>[placement]randomize_allocation_candidates</c>
/// (PA-48): candidates come in a random order, and a limit takes a random spread.</param>
public sealed record PlacementServerOptions(
    string Listen = PlacementServerOptions.DefaultListen,
    string DataDirectory = ".",
    string? Database = null,
    IReadOnlyList<string>? AuthTokens = null,
    bool RandomizeAllocationCandidates = false)
{
    public const string DefaultListen = "127.0.0.1:8780", DatabaseFileName = "placement.db";

    /// <summary>True when <see cref="Database"/> names a PostgreSQL server rather than a SQLite file.</summary>
    public bool UsesPostgres => Database is { } database && database.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    public string ConnectionString => Database ?? $"Data Source={Path.Combine(DataDirectory, DatabaseFileName)}";

    /// <summary>Where the state lives, for the start-up lines: the SQLite file, or the PostgreSQL server, database and
    /// user (never the password).</summary>
    public string DatabaseDescription => UsesPostgres && new NpgsqlConnectionStringBuilder(Database) is var postgres
        ? $"PostgreSQL {postgres.Host}:{postgres.Port}, database {postgres.Database ?? postgres.Username ?? "(the user's)"}" +
          (postgres.Username is { } user ? $", user {user}" : "")
        : $"SQLite {Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource)}";

    /// <summary>The framework's own logs at Information too (Kestrel's lifetime, each request, EF Core's commands);
    /// without it the framework logs only warnings and errors.</summary>
    public bool Verbose { get; init; }

    /// <summary>The controller's engine options (<c>serve --config nova.conf</c>: <c>[pci] alias</c>,
    /// <c>[compute] packing_host_numa_cells_allocation_strategy</c>); none by default.</summary>
    public ScenarioConfig Engine { get; init; } = new();

    /// <summary>An oslo.policy file (YAML or JSON) overriding Placement's policy rules (<c>[oslo_policy]
    /// policy_file</c>); none → the defaults (<see cref="Placement.PlacementPolicy"/>).</summary>
    public string? PolicyFile { get; init; }

    /// <summary><c>[oslo_policy] enforce_scope</c>: a system-scoped token is refused (every Placement rule is
    /// project-scoped).</summary>
    public bool EnforceScope { get; init; } = true;

    /// <summary><c>[oslo_policy] enforce_new_defaults</c>: a rule not overridden passes only for its new default,
    /// not also for the deprecated role:admin — so only the service role may reshape. Off by default, so an admin
    /// token (the agents' default) still may.</summary>
    public bool EnforceNewDefaults { get; init; }

    /// <summary><c>[cors] allowed_origin</c>: the origins (or <c>*</c>) whose browsers may call the Placement API;
    /// none → no CORS handling at all.</summary>
    public IReadOnlyList<string> CorsAllowedOrigins { get; init; } = [];

    /// <summary><c>[cors] allow_headers</c>: request headers a preflight may grant beyond the simple ones.</summary>
    public IReadOnlyList<string> CorsAllowHeaders { get; init; } = [];

    /// <summary>How often agents heartbeat; a host silent for three intervals is down and gets no new server.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);
}
