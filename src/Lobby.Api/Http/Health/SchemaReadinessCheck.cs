using Lobby.Api.Store.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Lobby.Api.Http.Health;

/// <summary>
/// Ready means: PostgreSQL answers and its schema is exactly at the newest migration this
/// binary embeds. A replica whose schema is behind (or ahead, after a newer release migrated)
/// must not take traffic it may not serve correctly.
/// </summary>
internal sealed class SchemaReadinessCheck(NpgsqlDataSource dataSource, MigrationCatalog catalog) : IHealthCheck
{
    // Bounded well inside the 2 s the probe must answer in, even with an unreachable host.
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(1500);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Budget);
        var probe = ProbeAsync(cts.Token);
        // Belt and braces: some connect paths (DNS) do not observe the token promptly.
        var finished = await Task.WhenAny(probe, Task.Delay(Budget + TimeSpan.FromMilliseconds(100), CancellationToken.None));
        if (finished != probe)
        {
            _ = probe.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            return HealthCheckResult.Unhealthy("database did not answer within 1.5 s");
        }

        return await probe;
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken ct)
    {
        long version;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(
                $"SELECT coalesce(max({SchemaMigrationsTable.VersionColumn}), 0) FROM {SchemaMigrationsTable.Schema}.{SchemaMigrationsTable.Table}", connection);
            version = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException ex) when (ex.SqlState == "42P01")
        {
            return HealthCheckResult.Unhealthy($"schema has no migrations applied; latest is {catalog.LatestVersion}");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            // Dead idle connections (server restarted) would fail the next probes one by one.
            dataSource.Clear();
            return HealthCheckResult.Unhealthy("database unreachable");
        }

        return version == catalog.LatestVersion
            ? HealthCheckResult.Healthy($"schema at version {version}")
            : HealthCheckResult.Unhealthy($"schema at version {version}, expected {catalog.LatestVersion}");
    }
}
