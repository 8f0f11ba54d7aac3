using System.Data;
using Npgsql;

namespace Lobby.Api.Store.Migrations;

/// <summary>
/// Applies and rolls back catalog scripts on one connection, keeping <c>public.schema_migrations</c> in step.
/// The caller holds the migration lock for the runner's whole life: the applied set is read once, at the start.
/// </summary>
internal sealed class MigrationRunner
{
    private readonly NpgsqlConnection _connection;
    private readonly MigrationCatalog _catalog;
    private readonly ILogger _logger;
    private readonly SortedSet<long> _applied;

    private MigrationRunner(NpgsqlConnection connection, MigrationCatalog catalog, ILogger logger, SortedSet<long> applied)
    {
        _connection = connection;
        _catalog = catalog;
        _logger = logger;
        _applied = applied;
    }

    /// <summary>Applied versions, ascending; may hold versions the catalog does not know.</summary>
    public IReadOnlySet<long> Applied => _applied;

    /// <summary>The highest applied version, 0 when none is applied.</summary>
    public long LatestApplied => _applied.Count == 0 ? 0 : _applied.Max;

    /// <summary>Creates the version table when absent and reads what is applied.</summary>
    public static async Task<MigrationRunner> StartAsync(
        NpgsqlConnection connection, MigrationCatalog catalog, ILogger logger, CancellationToken cancellationToken)
    {
        await SchemaMigrationsTable.EnsureAsync(connection, cancellationToken);
        var applied = await SchemaMigrationsTable.ReadAsync(connection, cancellationToken);
        return new MigrationRunner(connection, catalog, logger, new SortedSet<long>(applied.Keys));
    }

    /// <summary>Applies every unapplied catalog script up to and including <paramref name="target"/>, ascending.</summary>
    /// <remarks>Also fills gaps below the latest applied version, as FluentMigrator's MigrateUp did.</remarks>
    public async Task UpAsync(long target, CancellationToken cancellationToken)
    {
        foreach (var script in _catalog.Scripts.Where(s => s.Version <= target && !_applied.Contains(s.Version)).ToList())
        {
            MigrationLog.Applying(_logger, script.Version, script.Name);
            await RunAsync(script, script.UpStatements, up: true, cancellationToken);
            _applied.Add(script.Version);
        }
    }

    /// <summary>Rolls back every applied catalog script above <paramref name="target"/>, descending.</summary>
    /// <remarks>Applied versions the catalog does not know have no Down to run and are left alone.</remarks>
    public async Task DownAsync(long target, CancellationToken cancellationToken)
    {
        foreach (var script in _catalog.Scripts.Where(s => s.Version > target && _applied.Contains(s.Version)).Reverse().ToList())
        {
            MigrationLog.RollingBack(_logger, script.Version, script.Name);
            await RunAsync(script, script.DownStatements, up: false, cancellationToken);
            _applied.Remove(script.Version);
        }
    }

    private async Task RunAsync(GooseScript script, IReadOnlyList<string> statements, bool up, CancellationToken cancellationToken)
    {
        if (script.NoTransaction)
        {
            // Statements like CREATE INDEX CONCURRENTLY refuse a transaction block: each autocommits, and the
            // version row follows only when all of them succeeded, so a failed script stays pending.
            await ExecuteAsync(statements, null, cancellationToken);
            await WriteVersionAsync(script, null, up, cancellationToken);
            return;
        }

        // Read committed whatever default_transaction_isolation says, as under FluentMigrator. The version row
        // shares the transaction, so a failing statement leaves neither the schema change nor the row.
        await using var transaction = await _connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await ExecuteAsync(statements, transaction, cancellationToken);
        await WriteVersionAsync(script, transaction, up, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // One command per statement: a multi-statement command would run as one implicit transaction block.
    private async Task ExecuteAsync(IReadOnlyList<string> statements, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, _connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private Task WriteVersionAsync(GooseScript script, NpgsqlTransaction? transaction, bool up, CancellationToken cancellationToken) =>
        up
            ? SchemaMigrationsTable.RecordAsync(_connection, transaction, script, cancellationToken)
            : SchemaMigrationsTable.ForgetAsync(_connection, transaction, script.Version, cancellationToken);
}
