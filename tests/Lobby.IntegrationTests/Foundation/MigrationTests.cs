using Lobby.Api.Store.Migrations;
using Lobby.IntegrationTests.Infrastructure;
using Npgsql;
using static Lobby.IntegrationTests.Infrastructure.DirectSql;

namespace Lobby.IntegrationTests.Foundation;

public sealed class MigrationTests
{
    [Fact]
    public async Task Reset_then_up_on_a_database_holding_rows_reproduces_the_identical_schema()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            var migrator = new SchemaMigrator(cs, MigrationCatalog.Embedded);
            await migrator.UpAsync(CancellationToken.None);
            await ExecAsync(cs, """
                INSERT INTO users (id, email, display_name, password_hash) VALUES (gen_random_uuid(), 'a@example.com', 'A', 'x');
                INSERT INTO sessions (id, user_id, expires_at) SELECT gen_random_uuid(), id, now() + interval '1 day' FROM users;
                """);
            var before = await SchemaDumpAsync(cs);

            await migrator.ResetAsync(CancellationToken.None);
            Assert.Equal(0, await migrator.VersionAsync(CancellationToken.None));
            Assert.False(await TableExistsAsync(cs, "users"));

            await migrator.UpAsync(CancellationToken.None);
            var after = await SchemaDumpAsync(cs);

            Assert.Equal(MigrationCatalog.Embedded.LatestVersion, await migrator.VersionAsync(CancellationToken.None));
            Assert.Contains("CREATE TABLE public.users", before, StringComparison.Ordinal);
            Assert.Equal(before, after);
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task Two_concurrent_migrate_up_processes_apply_each_migration_once()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            var env = new Dictionary<string, string?> { ["DATABASE_URL"] = cs };
            var runs = await Task.WhenAll(LobbyBinary.RunAsync(env, "migrate", "up"), LobbyBinary.RunAsync(env, "migrate", "up"));

            // Without the lock the loser fails with "relation already exists".
            Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut));
            var applied = await ScalarAsync<long>(cs, "SELECT count(*) FROM schema_migrations");
            Assert.Equal(MigrationCatalog.Embedded.Scripts.Count, applied);
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task Status_lists_applied_and_pending_versions_and_version_prints_the_current_one()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            var env = new Dictionary<string, string?> { ["DATABASE_URL"] = cs };
            var pending = await LobbyBinary.RunAsync(env, "migrate", "status");
            Assert.Equal(0, pending.ExitCode);
            Assert.Contains("Pending", pending.StdOut, StringComparison.Ordinal);
            Assert.Contains("00001_auth", pending.StdOut, StringComparison.Ordinal);

            Assert.Equal(0, (await LobbyBinary.RunAsync(env, "migrate", "up")).ExitCode);
            var applied = await LobbyBinary.RunAsync(env, "migrate", "status");
            Assert.DoesNotContain("Pending", applied.StdOut, StringComparison.Ordinal);

            var version = await LobbyBinary.RunAsync(env, "migrate", "version");
            Assert.Equal(MigrationCatalog.Embedded.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), version.StdOut.Trim());

            var down = await LobbyBinary.RunAsync(env, "migrate", "down");
            Assert.Equal(0, down.ExitCode);
            Assert.Equal(PreviousVersion(), await new SchemaMigrator(cs, MigrationCatalog.Embedded).VersionAsync(CancellationToken.None));
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task Migrating_to_a_version_that_does_not_exist_fails_with_a_message()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            var result = await LobbyBinary.RunAsync(new Dictionary<string, string?> { ["DATABASE_URL"] = cs }, "migrate", "up-to", "99999");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("99999", result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    private static long PreviousVersion()
    {
        var scripts = MigrationCatalog.Embedded.Scripts;
        return scripts.Count > 1 ? scripts[^2].Version : 0;
    }

    private static Task<string> SchemaDumpAsync(string cs) =>
        DirectSql.SchemaDumpAsync(cs, "--no-owner", "--exclude-table=public.schema_migrations");

    private static Task<bool> TableExistsAsync(string cs, string table) =>
        ScalarAsync<bool>(cs, $"SELECT to_regclass('public.{table}') IS NOT NULL");
}
