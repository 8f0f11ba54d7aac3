using Lobby.Api.Config;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Lobby.Api.Store;

internal static class DataSourceSetup
{
    /// <summary>
    /// One pooled <see cref="NpgsqlDataSource"/> for the process. Auto-prepare is off by
    /// default in Npgsql while pgx prepares every statement; turning it on and keeping the
    /// pool near what PostgreSQL can execute at once roughly doubled throughput when measured
    /// (docs/decisions/0002-data-access.md).
    /// </summary>
    public static IServiceCollection AddLobbyDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp => Create(sp.GetRequiredService<IOptions<LobbyOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<Database>();
        return services;
    }

    public static NpgsqlDataSource Create(LobbyOptions options, ILoggerFactory? loggerFactory = null)
    {
        var csb = new NpgsqlConnectionStringBuilder(options.DatabaseConnectionString)
        {
            MaxPoolSize = options.DatabaseMaxPoolSize,
            CommandTimeout = options.DatabaseCommandTimeoutSeconds,
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            // Lobby changes no session state, so skipping DISCARD ALL on return is safe and saves a round trip.
            NoResetOnClose = true,
        };
        if (string.IsNullOrEmpty(csb.ApplicationName))
        {
            csb.ApplicationName = "lobby";
        }

        // Fail fast when the server is unreachable instead of holding requests for 15 s.
        if (csb.Timeout == 15)
        {
            csb.Timeout = 5;
        }

        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString);
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.Build();
    }
}
