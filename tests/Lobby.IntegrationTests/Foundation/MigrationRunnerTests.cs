using Lobby.Api.Store.Migrations;
using Lobby.IntegrationTests.Infrastructure;
using Npgsql;
using static Lobby.IntegrationTests.Infrastructure.DirectSql;

namespace Lobby.IntegrationTests.Foundation;

/// <summary>
/// The runner that replaced FluentMigrator: the version table it creates or finds, and the transaction rule per
/// script, on small catalogs of their own.
/// </summary>
public sealed class MigrationRunnerTests
{
    // What FluentMigrator 8.0.1 sent to create its version table for Lobby (captured with log_statement = all
    // from `migrate up` on an empty database before it was replaced), statement for statement.
    private static readonly string[] FluentMigratorVersionTableDdl =
    [
        """CREATE TABLE "public"."schema_migrations" ("version" bigint NOT NULL)""",
        """CREATE UNIQUE INDEX "schema_migrations_version_key" ON "public"."schema_migrations" ("version" ASC)""",
        """ALTER TABLE "public"."schema_migrations" ADD "applied_on" timestamp""",
        """ALTER TABLE "public"."schema_migrations" ADD "description" varchar(1024)""",
    ];

    private static readonly MigrationCatalog ThreeTables = Catalog(
        ("00001_one.sql", "-- +goose Up\nCREATE TABLE t1 (id int);\n-- +goose Down\nDROP TABLE t1;\n"),
        ("00002_two.sql", "-- +goose Up\nCREATE TABLE t2 (id int);\n-- +goose Down\nDROP TABLE t2;\n"),
        ("00003_three.sql", "-- +goose Up\nCREATE TABLE t3 (id int);\n-- +goose Down\nDROP TABLE t3;\n"));

    [Fact]
    public async Task A_fresh_database_gets_the_version_table_FluentMigrator_created()
    {
        var ours = await TestDatabase.CreateEmptyAsync("lobby_mig");
        var theirs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            await new SchemaMigrator(ours, ThreeTables).UpToAsync(1);
            foreach (var sql in FluentMigratorVersionTableDdl)
            {
                await ExecAsync(theirs, sql);
            }

            var dump = await VersionTableDumpAsync(ours);
            Assert.Equal(await VersionTableDumpAsync(theirs), dump);
            Assert.Contains("CREATE TABLE public.schema_migrations", dump, StringComparison.Ordinal);
            Assert.Contains(
                "CREATE UNIQUE INDEX schema_migrations_version_key ON public.schema_migrations USING btree (version);",
                dump,
                StringComparison.Ordinal);
            // No primary key, nor any other constraint apart from NOT NULL.
            Assert.Equal(0L, await ScalarAsync<long>(ours, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.schema_migrations'::regclass AND contype <> 'n'"));
        }
        finally
        {
            await TestDatabase.DropAsync(ours);
            await TestDatabase.DropAsync(theirs);
        }
    }

    [Fact]
    public async Task A_version_table_FluentMigrator_created_is_read_and_extended_as_it_is()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            foreach (var sql in FluentMigratorVersionTableDdl)
            {
                await ExecAsync(cs, sql);
            }

            // Version 1 as FluentMigrator recorded it; re-running it would fail on the existing t1.
            await ExecAsync(cs, """
                CREATE TABLE t1 (id int);
                INSERT INTO "public"."schema_migrations" ("version","applied_on","description") VALUES (1,'2026-01-02 03:04:05','one');
                """);
            var before = await VersionTableDumpAsync(cs);
            var migrator = new SchemaMigrator(cs, ThreeTables);

            Assert.Equal(1, await migrator.VersionAsync());
            var status = await migrator.StatusAsync();
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), status[0].AppliedAt);
            Assert.Equal(new[] { true, false, false }, status.Select(s => s.Applied));

            await migrator.UpAsync();

            Assert.Equal(3, await migrator.VersionAsync());
            Assert.Equal("1 one,2 two,3 three", await ScalarAsync<string>(cs, "SELECT string_agg(version || ' ' || description, ',' ORDER BY version) FROM schema_migrations"));
            Assert.Equal(before, await VersionTableDumpAsync(cs));

            await migrator.ResetAsync();
            Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM schema_migrations"));
            Assert.False(await ScalarAsync<bool>(cs, "SELECT to_regclass('public.t1') IS NOT NULL"));
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task A_failing_statement_in_a_transactional_script_leaves_neither_its_changes_nor_its_version_row()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            var migrator = new SchemaMigrator(cs, Catalog(
                ("00001_one.sql", "-- +goose Up\nCREATE TABLE t1 (id int);\n"),
                ("00002_broken.sql", "-- +goose Up\nCREATE TABLE t2 (id int);\nINSERT INTO t1 VALUES (1);\nSELECT 1/0;\n")));

            var error = await Assert.ThrowsAsync<PostgresException>(() => migrator.UpAsync());

            Assert.Equal(PostgresErrorCodes.DivisionByZero, error.SqlState);
            Assert.Equal(1, await migrator.VersionAsync());
            Assert.False(await ScalarAsync<bool>(cs, "SELECT to_regclass('public.t2') IS NOT NULL"));
            Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM t1"));
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task A_NO_TRANSACTION_script_runs_what_refuses_a_transaction_block_and_records_its_version()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            var migrator = new SchemaMigrator(cs, Catalog(
                ("00001_one.sql", "-- +goose Up\nCREATE TABLE t1 (id int);\n-- +goose Down\nDROP TABLE t1;\n"),
                ("00002_index.sql", """
                    -- +goose NO TRANSACTION
                    -- +goose Up
                    CREATE INDEX CONCURRENTLY t1_id_idx ON t1 (id);
                    -- +goose Down
                    DROP INDEX CONCURRENTLY t1_id_idx;
                    """)));

            await migrator.UpAsync();

            Assert.Equal(2, await migrator.VersionAsync());
            Assert.True(await ScalarAsync<bool>(cs, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.t1_id_idx'::regclass"));

            await migrator.DownAsync();

            Assert.Equal(1, await migrator.VersionAsync());
            Assert.False(await ScalarAsync<bool>(cs, "SELECT to_regclass('public.t1_id_idx') IS NOT NULL"));
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task A_failing_NO_TRANSACTION_script_keeps_the_statements_before_the_failure_and_stays_pending()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            var migrator = new SchemaMigrator(cs, Catalog(
                ("00001_broken.sql", "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE TABLE t1 (id int);\nSELECT 1/0;\nCREATE TABLE t2 (id int);\n")));

            await Assert.ThrowsAsync<PostgresException>(() => migrator.UpAsync());

            Assert.Equal(0, await migrator.VersionAsync());
            Assert.True(await ScalarAsync<bool>(cs, "SELECT to_regclass('public.t1') IS NOT NULL"));
            Assert.False(await ScalarAsync<bool>(cs, "SELECT to_regclass('public.t2') IS NOT NULL"));
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task Down_to_a_version_rolls_back_the_applied_migrations_above_it_newest_first_and_redo_repeats_the_latest()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            static (string, string) Step(int version, bool noTransaction) => (
                $"0000{version}_step.sql",
                (noTransaction ? "-- +goose NO TRANSACTION\n" : "")
                + $"-- +goose Up\nINSERT INTO trail (what) VALUES ('up {version}');\n"
                + $"-- +goose Down\nINSERT INTO trail (what) VALUES ('down {version}');\n");

            var migrator = new SchemaMigrator(cs, Catalog(
                ("00001_trail.sql", "-- +goose Up\nCREATE TABLE trail (seq serial, what text);\n-- +goose Down\nDROP TABLE trail;\n"),
                Step(2, false),
                Step(3, true),
                Step(4, false)));

            await migrator.UpAsync();
            await migrator.DownToAsync(1);
            Assert.Equal(1, await migrator.VersionAsync());

            await migrator.UpToAsync(3);
            await migrator.RedoAsync();
            Assert.Equal(3, await migrator.VersionAsync());

            Assert.Equal(
                "up 2,up 3,up 4,down 4,down 3,down 2,up 2,up 3,down 3,up 3",
                await ScalarAsync<string>(cs, "SELECT string_agg(what, ',' ORDER BY seq) FROM trail"));
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    [Fact]
    public async Task Applied_on_is_recorded_in_UTC_whatever_the_session_time_zone()
    {
        var cs = await TestDatabase.CreateEmptyAsync("lobby_mig");
        try
        {
            var farEast = new NpgsqlConnectionStringBuilder(cs) { Timezone = "Pacific/Kiritimati" }.ConnectionString;
            var migrator = new SchemaMigrator(farEast, ThreeTables);
            await migrator.UpToAsync(1);

            var appliedAt = (await migrator.StatusAsync())[0].AppliedAt;

            Assert.NotNull(appliedAt);
            Assert.InRange(appliedAt.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        }
        finally
        {
            await TestDatabase.DropAsync(cs);
        }
    }

    private static MigrationCatalog Catalog(params (string File, string Text)[] files) =>
        new(files.Select(f => GooseScript.Parse(f.File, f.Text)));

    private static Task<string> VersionTableDumpAsync(string cs) =>
        DirectSql.SchemaDumpAsync(cs, "--table=public.schema_migrations");
}
