using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace PciPassthrough.Server.Controller.Store;

/// <summary>Recognises the database's "this key exists" answer on both engines.</summary>
public static class StoreErrors
{
    private const int SqliteConstraint = 19;

    public static bool IsDuplicateKey(DbUpdateException e) => IsDuplicateKey(e.InnerException);

    /// <summary>The same for a statement run outside EF Core's change tracking (<c>ExecuteUpdate</c>, raw SQL), whose
    /// errors come unwrapped.</summary>
    public static bool IsDuplicateKey(Exception? e) => e switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>Inserts <paramref name="row"/>; 409 with <paramref name="conflict"/> when its key is taken.</summary>
    public static async Task InsertAsync<T>(ControllerDb db, T row, string conflict, CancellationToken cancellationToken)
        where T : class
    {
        db.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (IsDuplicateKey(e))
        {
            throw ControllerException.Conflict(conflict);
        }
    }
}
