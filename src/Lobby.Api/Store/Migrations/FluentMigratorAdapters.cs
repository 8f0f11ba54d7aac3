using FluentMigrator;
using FluentMigrator.Infrastructure;
using FluentMigrator.Runner;
using FluentMigrator.Runner.VersionTableInfo;
using Microsoft.Extensions.Logging;

namespace Lobby.Api.Store.Migrations;

/// <summary>A FluentMigrator migration that runs a goose script's statements one by one.</summary>
internal sealed class GooseSqlMigration(GooseScript script) : Migration
{
    public override void Up() => Run(script.UpStatements);

    public override void Down() => Run(script.DownStatements);

    private void Run(IReadOnlyList<string> statements)
    {
        if (statements.Count == 0)
        {
            return;
        }

        // PerformDBOperation hands us FluentMigrator's own connection and (unless NO TRANSACTION) its
        // per-migration transaction. Each statement is its own command, so NO TRANSACTION scripts can hold
        // statements like CREATE INDEX CONCURRENTLY that refuse to run inside an (implicit) transaction block.
        Execute.WithConnection((connection, transaction) =>
        {
            foreach (var sql in statements)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }
        });
    }
}

/// <summary>Feeds the catalog's scripts to FluentMigrator instead of its reflection-based scanning.</summary>
internal sealed class GooseMigrationInformationLoader(MigrationCatalog catalog) : IMigrationInformationLoader
{
    public SortedList<long, IMigrationInfo> LoadMigrations()
    {
        var list = new SortedList<long, IMigrationInfo>(catalog.Scripts.Count);
        foreach (var script in catalog.Scripts)
        {
            list.Add(script.Version, new GooseMigrationInfo(script));
        }

        return list;
    }
}

/// <summary>
/// FluentMigrator's description of one goose script. Any IMigrationInfo other than FluentMigrator's
/// NonAttributedMigrationToMigrationInfoAdapter counts as "attributed", so the runner records it in the version table.
/// </summary>
internal sealed class GooseMigrationInfo(GooseScript script) : IMigrationInfo
{
    private IMigration? _migration;

    public long Version => script.Version;

    public string Description => script.Name;

    public TransactionBehavior TransactionBehavior => script.NoTransaction ? TransactionBehavior.None : TransactionBehavior.Default;

    public IMigration Migration => _migration ??= new GooseSqlMigration(script);

    public bool IsBreakingChange => false;

    public object? Trait(string name) => null;

    public bool HasTrait(string name) => false;

    public string GetName() => $"{script.Version}: {script.Name}";
}

/// <summary>FluentMigrator's version table: <c>public.schema_migrations(version, applied_on, description)</c>.</summary>
internal sealed class SchemaMigrationsTable : IVersionTableMetaData
{
    public const string Schema = "public";
    public const string Table = "schema_migrations";
    public const string VersionColumn = "version";
    public const string AppliedOnColumn = "applied_on";

    public bool OwnsSchema => false;

    public string SchemaName => Schema;

    public string TableName => Table;

    public string ColumnName => VersionColumn;

    public string DescriptionColumnName => "description";

    public string UniqueIndexName => "schema_migrations_version_key";

    public string AppliedOnColumnName => AppliedOnColumn;

    // true would name the primary key after UniqueIndexName and then FluentMigrator fails creating that unique index.
    public bool CreateWithPrimaryKey => false;
}

/// <summary>Routes FluentMigrator's logging to the caller's logger, demoting its Information chatter to Debug.</summary>
internal sealed class ForwardingLoggerProvider(ILogger target) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new DemotingLogger(target);

    public void Dispose()
    {
    }

    private sealed class DemotingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(Demote(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = Demote(logLevel);
            inner.Log(level, eventId, state, exception, formatter);
        }

        private static LogLevel Demote(LogLevel level) => level == LogLevel.Information ? LogLevel.Debug : level;
    }
}
