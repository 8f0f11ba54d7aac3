using Lobby.Api.Data;
using Lobby.IntegrationTests.Infrastructure;
using Npgsql;

namespace Lobby.IntegrationTests.Foundation;

/// <summary>
/// What the data layer relies on from <see cref="Sql"/>: the behaviour Dapper gave it (single-row
/// rules, scalar defaults, affected rows), typed NULL parameters, and cancellation reaching the server.
/// </summary>
public sealed class SqlTests : IAsyncLifetime
{
    private const string TwoRows = "SELECT 1 UNION ALL SELECT 2";
    private const string NoRow = "SELECT 1 WHERE false";
    private readonly NpgsqlConnection _db = new(TestDatabase.ServerConnectionString);

    public Task InitializeAsync() => _db.OpenAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    [Fact]
    public async Task Null_parameters_are_NULLs_of_the_parameter_type()
    {
        var (stringType, stringNull, guidType, guidNull) = await Sql.Command(_db, null, "SELECT pg_typeof(@s)::text, @s IS NULL, pg_typeof(@g)::text, @g IS NULL")
            .With("s", (string?)null).With("g", (Guid?)null)
            .SingleAsync(r => (r.GetString(0), r.GetBoolean(1), r.GetString(2), r.GetBoolean(3)), CancellationToken.None);

        Assert.Equal(("text", true, "uuid", true), (stringType, stringNull, guidType, guidNull));
    }

    [Fact]
    public async Task Single_wants_exactly_one_row_and_single_or_default_at_most_one()
    {
        Assert.Equal(1, await Sql.Command(_db, null, "SELECT 1").SingleAsync(r => r.GetInt32(0), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Sql.Command(_db, null, NoRow).SingleAsync(r => r.GetInt32(0), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Sql.Command(_db, null, TwoRows).SingleAsync(r => r.GetInt32(0), CancellationToken.None));

        Assert.Null(await Sql.Command(_db, null, NoRow).SingleOrDefaultAsync(r => (int?)r.GetInt32(0), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Sql.Command(_db, null, TwoRows).SingleOrDefaultAsync(r => (int?)r.GetInt32(0), CancellationToken.None));

        // The connection is still usable after a throw: the reader and command were disposed.
        Assert.Equal([1, 2], await Sql.Command(_db, null, TwoRows).ListAsync(r => r.GetInt32(0), CancellationToken.None));
    }

    [Fact]
    public async Task Scalar_is_default_for_no_row_or_NULL_and_refuses_another_type()
    {
        Assert.Null(await Sql.Command(_db, null, "SELECT true WHERE false").ScalarAsync<bool?>(CancellationToken.None));
        Assert.Null(await Sql.Command(_db, null, "SELECT NULL::boolean").ScalarAsync<bool?>(CancellationToken.None));
        Assert.Equal(0L, await Sql.Command(_db, null, "SELECT 1::bigint WHERE false").ScalarAsync<long>(CancellationToken.None));
        Assert.Equal(7L, await Sql.Command(_db, null, "SELECT 7::bigint").ScalarAsync<long>(CancellationToken.None));
        await Assert.ThrowsAsync<InvalidCastException>(() => Sql.Command(_db, null, "SELECT 7::int").ScalarAsync<long>(CancellationToken.None));
    }

    [Fact]
    public async Task Execute_returns_the_rows_affected()
    {
        await Sql.Command(_db, null, "CREATE TEMP TABLE sql_tests (n int)").ExecuteAsync(CancellationToken.None);

        Assert.Equal(3, await Sql.Command(_db, null, "INSERT INTO sql_tests SELECT generate_series(1, @n)").With("n", 3).ExecuteAsync(CancellationToken.None));
        Assert.Equal(2, await Sql.Command(_db, null, "DELETE FROM sql_tests WHERE n > 1").ExecuteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Cancellation_stops_a_running_statement()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sql.Command(_db, null, "SELECT pg_sleep(30)").ExecuteAsync(cts.Token));
    }
}
