using Npgsql;

namespace Lobby.Api.Data;

/// <summary>
/// Plain Npgsql commands for the *Queries classes: build one, bind typed parameters, run it, map
/// its rows with the row type's own <c>Read</c>. Dapper did this by emitting IL at run time, which
/// Native AOT cannot do (docs/decisions/0019). Every terminal method (ListAsync, SingleAsync,
/// SingleOrDefaultAsync, ExecuteAsync, ScalarAsync) runs the command and disposes it.
/// </summary>
internal static class Sql
{
    public static NpgsqlCommand Command(NpgsqlConnection db, NpgsqlTransaction? tx, string text) => new(text, db, tx);

    /// <summary>
    /// Binds <c>@name</c>. The PostgreSQL type comes from <typeparamref name="T"/>, so a null string
    /// or Guid? is sent as a NULL of type text or uuid (Npgsql's NpgsqlParameter&lt;T&gt; writes a null
    /// TypedValue as SQL NULL), as Dapper's DbType did; a bare DBNull would go untyped.
    /// </summary>
    public static NpgsqlCommand With<T>(this NpgsqlCommand command, string name, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
        return command;
    }

    public static async Task<List<T>> ListAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<T>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }

    /// <summary>The one row; throws InvalidOperationException on none or several, as Dapper's QuerySingle did.</summary>
    public static async Task<T> SingleAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var (found, row) = await OneAsync(command, read, ct);
        return found ? row! : throw new InvalidOperationException("Sequence contains no elements");
    }

    /// <summary>
    /// The one row, or default when there is none; throws InvalidOperationException on several, as
    /// Dapper's QuerySingleOrDefault did. For a value type read it as T? (Guid?), so none is null.
    /// </summary>
    public static async Task<T?> SingleOrDefaultAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct) =>
        (await OneAsync(command, read, ct)).Row;

    /// <summary>The number of rows the statement(s) affected.</summary>
    public static async Task<int> ExecuteAsync(this NpgsqlCommand command, CancellationToken ct)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// The first column of the first row; default when there is no row or it is NULL, as Dapper's
    /// ExecuteScalar. A value of another type throws where Dapper would have converted it: every
    /// caller asks for exactly the type its SQL returns.
    /// </summary>
    public static async Task<T?> ScalarAsync<T>(this NpgsqlCommand command, CancellationToken ct)
    {
        await using (command)
        {
            return await command.ExecuteScalarAsync(ct) switch
            {
                null or DBNull => default,
                T value => value,
                var other => throw new InvalidCastException($"The query returned {other.GetType()}, not {typeof(T)}."),
            };
        }
    }

    public static string? StringOrNull(this NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    public static Guid? GuidOrNull(this NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetGuid(ordinal);

    public static DateTime? DateTimeOrNull(this NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetDateTime(ordinal);

    // Reads on past the first row so that a second one is an error rather than silently dropped.
    private static async Task<(bool Found, T? Row)> OneAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return (false, default);
            }

            var row = read(reader);
            return await reader.ReadAsync(ct)
                ? throw new InvalidOperationException("Sequence contains more than one element")
                : (true, row);
        }
    }
}
