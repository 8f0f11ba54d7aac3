using Lobby.Api.Config;
using Lobby.Api.Store.Migrations;
using Npgsql;

namespace Lobby.IntegrationTests.Infrastructure;

/// <summary>
/// Test isolation: one template database migrated once per run, then a fresh database cloned
/// from it (CREATE DATABASE ... TEMPLATE, milliseconds) for each test class.
/// </summary>
internal static class TestDatabase
{
    private const string Template = "lobby_template";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _templateReady;

    /// <summary>The server scripts/test.sh started, as an admin connection string.</summary>
    public static string ServerConnectionString { get; } = Load();

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    /// <summary>Creates an empty database (no migrations) and returns its connection string.</summary>
    public static async Task<string> CreateEmptyAsync(string prefix = "lobby_empty")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40];
        await AdminAsync($"CREATE DATABASE {name}");
        return ConnectionStringFor(name);
    }

    /// <summary>Creates a database at the latest migration, cloned from the template.</summary>
    public static async Task<string> CreateMigratedAsync()
    {
        await EnsureTemplateAsync();
        var name = $"lobby_t_{Guid.NewGuid():N}"[..40];
        // Cloning needs the template to have no connections; the gate keeps clones from overlapping its creation.
        await Gate.WaitAsync();
        try
        {
            await AdminAsync($"CREATE DATABASE {name} TEMPLATE {Template}");
        }
        finally
        {
            Gate.Release();
        }

        return ConnectionStringFor(name);
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static async Task EnsureTemplateAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_templateReady)
            {
                return;
            }

            await AdminAsync($"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
            await AdminAsync($"CREATE DATABASE {Template}");
            var cs = new NpgsqlConnectionStringBuilder(ConnectionStringFor(Template)) { Pooling = false }.ConnectionString;
            await new SchemaMigrator(cs, MigrationCatalog.Embedded).UpAsync(CancellationToken.None);
            _templateReady = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task AdminAsync(string sql)
    {
        var cs = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Load()
    {
        var url = Environment.GetEnvironmentVariable("LOBBY_TEST_DATABASE_URL");
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException(
                "LOBBY_TEST_DATABASE_URL is not set: run the tests with scripts/test.sh, which starts PostgreSQL for them");
        }

        // The suite starts dozens of hosts and databases at once on two cores: a first connection
        // may wait longer than Lobby's 5 s default, which is for production, not for this crowd.
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(url));
        builder.Timeout = Math.Max(builder.Timeout, 30);
        return builder.ConnectionString;
    }
}
