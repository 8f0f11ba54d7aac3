using System.Data;
using Npgsql;

namespace Lobby.Api.Store;

/// <summary>
/// How services reach PostgreSQL. Data-access methods take the connection and optional
/// transaction (the blueprint's DBTX); services choose between a plain connection and a
/// transaction here. Handlers never open transactions.
/// </summary>
internal sealed class Database(NpgsqlDataSource dataSource, ILogger<Database> logger)
{
    /// <summary>Attempts for a transaction that hits a serialization failure or deadlock.</summary>
    public const int MaxAttempts = 4;

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Runs read-only or single-statement work on a pooled connection, no transaction.</summary>
    public async Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            return await work(connection);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            ForgetIdleConnections();
            throw;
        }
    }

    /// <summary>
    /// Runs one self-committing statement that can lose a deadlock (40P01) to a concurrent
    /// transaction, again a bounded number of times (same retry rule as transactions).
    /// </summary>
    public async Task<T> WithRetriedStatementAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WithConnectionAsync(work, ct);
            }
            catch (PostgresException ex) when (PostgresErrors.IsRetryable(ex) && attempt < MaxAttempts)
            {
                logger.LogInformation("Statement attempt {Attempt} hit {SqlState}; retrying", attempt, ex.SqlState);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), ct);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it. Serialization failures
    /// (40001) and deadlocks (40P01) roll back and run the whole callback again, a bounded
    /// number of times, so the callback must not have effects outside the database.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work,
        CancellationToken ct,
        IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(isolation, ct);
                try
                {
                    var result = await work(connection, transaction);
                    await transaction.CommitAsync(ct);
                    return result;
                }
                catch (PostgresException ex) when (PostgresErrors.IsRetryable(ex) && attempt < MaxAttempts)
                {
                    logger.LogInformation("Transaction attempt {Attempt} hit {SqlState}; retrying", attempt, ex.SqlState);
                    await transaction.RollbackAsync(CancellationToken.None);
                }
            }
            catch (NpgsqlException ex) when (ex is not PostgresException)
            {
                ForgetIdleConnections();
                throw;
            }

            // Jittered backoff keeps two colliding transactions from colliding again.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), ct);
        }
    }

    // After the server restarted, every idle pooled connection is dead; dropping them at the
    // first failure lets the next request open a fresh one instead of failing on each in turn.
    private void ForgetIdleConnections() => dataSource.Clear();

    public Task InTransactionAsync(
        Func<NpgsqlConnection, NpgsqlTransaction, Task> work,
        CancellationToken ct,
        IsolationLevel isolation = IsolationLevel.ReadCommitted) =>
        InTransactionAsync(async (c, t) => { await work(c, t); return true; }, ct, isolation);

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            throw new DatabaseUnavailableException(ex);
        }
    }
}
