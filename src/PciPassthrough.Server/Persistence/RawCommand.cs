using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace PciPassthrough.Server.Persistence;

/// <summary>Hand-written SQL on the context's own connection and transaction, for the hot paths where EF Core's
/// per-query cost (LINQ translation lookup, materialisation, change tracking) is several times the SQL itself.
/// The text is plain SQL both engines run (double-quoted identifiers, <c>@p</c> parameters); several statements
/// may go in one command (one round trip on PostgreSQL, each statement with its own snapshot).</summary>
public sealed class RawCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly StringBuilder _sql = new();

    public RawCommand(PlacementDb db)
    {
        _command = db.Database.GetDbConnection().CreateCommand();
        _command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
    }

    public RawCommand Sql(string text)
    {
        _sql.Append(text);
        return this;
    }

    /// <summary>Appends a new parameter holding <paramref name="value"/>.</summary>
    public RawCommand Param(string? value) => Sql(Add(value, DbType.String));

    public RawCommand Param(int value) => Sql(Add(value, DbType.Int32));

    /// <summary>A UTC time; its type is left to the provider (Npgsql maps a UTC <see cref="DateTime"/> to
    /// <c>timestamp with time zone</c>, <see cref="DbType.DateTime"/> would not).</summary>
    public RawCommand Param(DateTime value) => Sql(Add(value, null));

    /// <summary><c>column IN (@a, @b…)</c>, or a false condition for no values (<c>IN ()</c> is not SQL).</summary>
    public RawCommand In(string column, IReadOnlyCollection<string> values, bool negate = false)
    {
        if (values.Count == 0)
        {
            return Sql(negate ? "1 = 1" : "1 = 0");
        }

        Sql(column).Sql(negate ? " NOT IN (" : " IN (");
        var first = true;
        foreach (var value in values)
        {
            Sql(first ? "" : ", ").Param(value);
            first = false;
        }

        return Sql(")");
    }

    public Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        _command.CommandText = _sql.ToString();
        return _command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<DbDataReader> ReadAsync(CancellationToken cancellationToken)
    {
        _command.CommandText = _sql.ToString();
        return _command.ExecuteReaderAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();

    private string Add(object? value, DbType? type)
    {
        var parameter = _command.CreateParameter();
        parameter.ParameterName = string.Create(CultureInfo.InvariantCulture, $"@p{_command.Parameters.Count}");
        if (type is { } known)
        {
            parameter.DbType = known;
        }

        parameter.Value = value ?? DBNull.Value;
        _command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }
}
