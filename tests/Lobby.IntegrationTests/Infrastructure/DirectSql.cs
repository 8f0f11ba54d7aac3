using System.Globalization;
using Npgsql;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>SQL and pg_dump run straight against a test database, beside Lobby rather than through it.</summary>
internal static class DirectSql
{
    public static async Task ExecAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary><c>pg_dump --schema-only</c> with <paramref name="options"/>, comparable between two dumps.</summary>
    public static async Task<string> SchemaDumpAsync(string cs, params string[] options)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        var result = await Processes.RunAsync(
            "pg_dump",
            ["--schema-only", .. options, "-h", b.Host!, "-p", b.Port.ToString(CultureInfo.InvariantCulture), "-U", b.Username!, b.Database!],
            TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.StdErr);
        // pg_dump 15.14+ brackets its output with a random \restrict key.
        return string.Join('\n', result.StdOut.Split('\n').Where(l => !l.StartsWith("\\restrict", StringComparison.Ordinal) && !l.StartsWith("\\unrestrict", StringComparison.Ordinal)));
    }
}
