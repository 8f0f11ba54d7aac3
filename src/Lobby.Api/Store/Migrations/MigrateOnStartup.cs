using Lobby.Api.Config;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Store.Migrations;

/// <summary>
/// MIGRATE_ON_STARTUP: applies pending migrations before the server accepts requests. Safe with
/// several replicas starting at once, since the migrator holds an advisory lock.
/// </summary>
internal sealed class MigrateOnStartup(IOptions<LobbyOptions> options, MigrationCatalog catalog, ILogger<SchemaMigrator> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStartup
            ? new SchemaMigrator(options.Value.DatabaseConnectionString, catalog, logger).UpAsync(cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
