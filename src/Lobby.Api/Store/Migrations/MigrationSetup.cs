using Lobby.Api.Config;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Store.Migrations;

internal static class MigrationSetup
{
    public static IServiceCollection AddLobbyMigrations(this IServiceCollection services)
    {
        services.AddSingleton(MigrationCatalog.Embedded);
        services.AddHostedService<MigrateOnStartup>();
        return services;
    }
}
