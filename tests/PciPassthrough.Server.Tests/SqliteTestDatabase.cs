using Microsoft.Data.Sqlite;

namespace PciPassthrough.Server.Tests;

/// <summary>A SQLite database file in a fresh temp directory, for a test that needs the file itself (a server on it
/// and SQL beside it); the directory is deleted on dispose.</summary>
public sealed class SqliteTestDatabase : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pcictl-sqlite-");

    public string ConnectionString => $"Data Source={Path.Combine(_directory.FullName, "placement.db")}";

    public SqliteConnection Connect() => new(ConnectionString);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }
}
