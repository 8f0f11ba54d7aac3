using Npgsql;

namespace Lobby.Api.Store.Migrations;

/// <summary>
/// The version table <c>public.schema_migrations(version, applied_on, description)</c>: one row per applied migration.
/// </summary>
internal static class SchemaMigrationsTable
{
    public const string Schema = "public";
    public const string Table = "schema_migrations";
    public const string VersionColumn = "version";
    public const string AppliedOnColumn = "applied_on";
    public const string DescriptionColumn = "description";

    private const string QualifiedName = $"{Schema}.{Table}";

    // The shape FluentMigrator 8.0.1 gave it (CREATE TABLE, then ADD applied_on timestamp, ADD description
    // varchar(1024), a unique index and no primary key), so databases it migrated are used as they are and a
    // fresh one gets the same table. IF NOT EXISTS leaves an existing table untouched.
    private static readonly string[] CreateStatements =
    [
        $"CREATE TABLE IF NOT EXISTS {QualifiedName} ({VersionColumn} bigint NOT NULL, {AppliedOnColumn} timestamp, {DescriptionColumn} varchar(1024))",
        $"CREATE UNIQUE INDEX IF NOT EXISTS schema_migrations_version_key ON {QualifiedName} ({VersionColumn})",
    ];

    /// <summary>Creates the table and its unique index unless they exist.</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // One transaction, so a table never exists without its index.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var sql in CreateStatements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Applied versions with when they were applied (UTC); empty when the table does not exist.</summary>
    public static async Task<Dictionary<long, DateTimeOffset?>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, DateTimeOffset?>();
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("name", QualifiedName);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return result;
            }
        }

        await using var command = new NpgsqlCommand($"SELECT {VersionColumn}, {AppliedOnColumn} FROM {QualifiedName}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // applied_on is a timestamp without time zone that always holds UTC (see RecordAsync).
            DateTimeOffset? appliedAt = reader.IsDBNull(1)
                ? null
                : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
            result[reader.GetInt64(0)] = appliedAt;
        }

        return result;
    }

    /// <summary>Records <paramref name="script"/> as applied, inside <paramref name="transaction"/> when there is one.</summary>
    public static async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, GooseScript script, CancellationToken cancellationToken)
    {
        // UTC whatever the session's TimeZone, as FluentMigrator wrote it.
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {QualifiedName} ({VersionColumn}, {AppliedOnColumn}, {DescriptionColumn}) VALUES (@version, now() AT TIME ZONE 'UTC', @description)",
            connection,
            transaction);
        command.Parameters.AddWithValue("version", script.Version);
        command.Parameters.AddWithValue("description", script.Name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes the row of <paramref name="version"/>, inside <paramref name="transaction"/> when there is one.</summary>
    public static async Task ForgetAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long version, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {QualifiedName} WHERE {VersionColumn} = @version", connection, transaction);
        command.Parameters.AddWithValue("version", version);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
