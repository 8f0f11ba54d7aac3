using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Lobby.Api.Store.Migrations;

/// <summary>State of one catalog migration in the database.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">The migration's name (file name without version and extension).</param>
/// <param name="Applied">True when the version is recorded in <c>public.schema_migrations</c>.</param>
/// <param name="AppliedAt">When it was recorded (UTC), null when not applied.</param>
internal sealed record MigrationStatus(long Version, string Name, bool Applied, DateTimeOffset? AppliedAt);

/// <summary>
/// Applies and rolls back the catalog's goose SQL migrations (<see cref="MigrationRunner"/>). Every mutating call
/// holds a PostgreSQL session-level advisory lock (<see cref="AdvisoryLockKey"/>) on a dedicated connection for its
/// whole run, so concurrent callers serialise and the later one finds nothing pending.
/// </summary>
internal sealed class SchemaMigrator
{
    /// <summary>Key of the <c>pg_advisory_lock</c> held while migrating ("LobbyMig" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x4C6F_6262_794D_6967;

    private readonly string _connectionString;
    private readonly MigrationCatalog _catalog;
    private readonly ILogger _logger;

    /// <summary>Creates a migrator for the database at <paramref name="connectionString"/>.</summary>
    public SchemaMigrator(string connectionString, MigrationCatalog catalog, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(catalog);
        _connectionString = connectionString;
        _catalog = catalog;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The catalog this migrator applies.</summary>
    public MigrationCatalog Catalog => _catalog;

    /// <summary>Applies every pending migration.</summary>
    public Task UpAsync(CancellationToken cancellationToken = default) =>
        RunLockedAsync("up", (run, ct) => run.UpAsync(long.MaxValue, ct), cancellationToken);

    /// <summary>Applies pending migrations up to and including <paramref name="version"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not in the catalog.</exception>
    public Task UpToAsync(long version, CancellationToken cancellationToken = default)
    {
        if (!_catalog.Contains(version))
        {
            throw UnknownVersion(version, nameof(version));
        }

        return RunLockedAsync($"up-to {version}", (run, ct) => run.UpAsync(version, ct), cancellationToken);
    }

    /// <summary>Rolls back the latest applied migration (no-op when none is applied).</summary>
    public Task DownAsync(CancellationToken cancellationToken = default) =>
        RunLockedAsync("down", async (run, ct) =>
        {
            var latest = LatestApplied(run);
            if (latest == 0)
            {
                MigrationLog.NothingToRollBack(_logger);
                return;
            }

            await run.DownAsync(PreviousApplied(run, latest), ct);
        }, cancellationToken);

    /// <summary>Rolls back every applied migration above <paramref name="version"/>; 0 rolls back all.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is neither 0 nor in the catalog.</exception>
    public Task DownToAsync(long version, CancellationToken cancellationToken = default)
    {
        if (version != 0 && !_catalog.Contains(version))
        {
            throw UnknownVersion(version, nameof(version));
        }

        return RunLockedAsync($"down-to {version}", (run, ct) => run.DownAsync(version, ct), cancellationToken);
    }

    /// <summary>Rolls back the latest applied migration and applies it again.</summary>
    /// <exception cref="InvalidOperationException">No migration is applied.</exception>
    public Task RedoAsync(CancellationToken cancellationToken = default) =>
        RunLockedAsync("redo", async (run, ct) =>
        {
            var latest = LatestApplied(run);
            if (latest == 0)
            {
                throw new InvalidOperationException("Cannot redo: no migration is applied.");
            }

            await run.DownAsync(PreviousApplied(run, latest), ct);
            await run.UpAsync(latest, ct);
        }, cancellationToken);

    /// <summary>Rolls back every applied migration (the version table itself stays).</summary>
    public Task ResetAsync(CancellationToken cancellationToken = default) =>
        RunLockedAsync("reset", (run, ct) => run.DownAsync(0, ct), cancellationToken);

    /// <summary>Each catalog migration with whether (and when) it is applied. Read-only: takes no lock, creates nothing.</summary>
    public async Task<IReadOnlyList<MigrationStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var applied = await ReadAppliedAsync(cancellationToken);
        foreach (var version in applied.Keys.Where(v => !_catalog.Contains(v)))
        {
            MigrationLog.AppliedNotInCatalog(_logger, version);
        }

        return _catalog.Scripts
            .Select(s => applied.TryGetValue(s.Version, out var at)
                ? new MigrationStatus(s.Version, s.Name, true, at)
                : new MigrationStatus(s.Version, s.Name, false, null))
            .ToList();
    }

    /// <summary>The highest applied version, 0 when none is applied or the version table does not exist.</summary>
    public async Task<long> VersionAsync(CancellationToken cancellationToken = default)
    {
        var applied = await ReadAppliedAsync(cancellationToken);
        return applied.Count == 0 ? 0 : applied.Keys.Max();
    }

    private static ArgumentOutOfRangeException UnknownVersion(long version, string paramName) =>
        new(paramName, version, $"Unknown migration version {version}: no embedded migration has that version.");

    private long LatestApplied(MigrationRunner run)
    {
        var latest = run.LatestApplied;
        if (latest != 0 && !_catalog.Contains(latest))
        {
            throw new InvalidOperationException(
                $"The latest applied migration version {latest} is not in the embedded catalog; it cannot be rolled back.");
        }

        return latest;
    }

    private static long PreviousApplied(MigrationRunner run, long latest) =>
        run.Applied.Where(v => v < latest).DefaultIfEmpty(0).Max();

    private async Task<Dictionary<long, DateTimeOffset?>> ReadAppliedAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return await SchemaMigrationsTable.ReadAsync(connection, cancellationToken);
    }

    private async Task RunLockedAsync(string operation, Func<MigrationRunner, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        // A dedicated, unpooled connection: the session-level lock dies with it even if unlocking fails.
        var lockConnectionString = new NpgsqlConnectionStringBuilder(_connectionString)
        {
            Pooling = false,
            ApplicationName = "lobby-migrations-lock",
        }.ConnectionString;

        await using var lockConnection = new NpgsqlConnection(lockConnectionString);
        await lockConnection.OpenAsync(cancellationToken);

        await AcquireLockAsync(lockConnection, cancellationToken);

        try
        {
            MigrationLog.Running(_logger, operation);
            // The scripts get a connection of their own, so one that a failed or cancelled script breaks
            // cannot take the unlock below with it.
            await using (var connection = new NpgsqlConnection(_connectionString))
            {
                await connection.OpenAsync(cancellationToken);
                var run = await MigrationRunner.StartAsync(connection, _catalog, _logger, cancellationToken);
                await action(run, cancellationToken);
            }

            MigrationLog.Done(_logger, operation);
        }
        finally
        {
            try
            {
                await using var unlockCommand = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
                unlockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
                await unlockCommand.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (NpgsqlException ex)
            {
                // Closing the unpooled connection ends the session, which releases the lock anyway.
                MigrationLog.UnlockFailed(_logger, ex);
            }
        }
    }

    // Polls pg_try_advisory_lock instead of blocking in pg_advisory_lock: a session blocked inside a statement
    // holds a snapshot, and CREATE INDEX CONCURRENTLY in the lock holder's migration (on the runner's own
    // connection) would wait for that snapshot forever - a deadlock PostgreSQL cannot detect.
    private async Task AcquireLockAsync(NpgsqlConnection lockConnection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", lockConnection);
        command.Parameters.AddWithValue("key", AdvisoryLockKey);
        var delay = TimeSpan.FromMilliseconds(50);
        var waiting = false;
        while (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            if (!waiting)
            {
                MigrationLog.WaitingForLock(_logger, AdvisoryLockKey);
                waiting = true;
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }
}

internal static partial class MigrationLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Another process holds migration advisory lock {LockKey}; waiting")]
    public static partial void WaitingForLock(ILogger logger, long lockKey);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Running migrations: {Operation}")]
    public static partial void Running(ILogger logger, string operation);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Migrations done: {Operation}")]
    public static partial void Done(ILogger logger, string operation);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "No migration applied; nothing to roll back")]
    public static partial void NothingToRollBack(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Applied migration version {Version} is not in the embedded catalog")]
    public static partial void AppliedNotInCatalog(ILogger logger, long version);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Releasing migration advisory lock failed; it is released when the connection closes")]
    public static partial void UnlockFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Applying migration {Version} {Name}")]
    public static partial void Applying(ILogger logger, long version, string name);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Rolling back migration {Version} {Name}")]
    public static partial void RollingBack(ILogger logger, long version, string name);
}
