using Lobby.Api.Config;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http;

internal static class CorsSetup
{
    /// <summary>Only the configured origins pass; no wildcard, per environment (CORS_ORIGINS).</summary>
    public static IServiceCollection AddLobbyCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<LobbyOptions>>((cors, lobby) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. lobby.Value.CorsOrigins])
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", RequestIdMiddleware.HeaderName, "X-Requested-With", "X-SignalR-User-Agent")
                .WithMethods("GET", "POST", "PATCH", "PUT", "DELETE")
                .WithExposedHeaders(RequestIdMiddleware.HeaderName, "Retry-After", "WWW-Authenticate")
                .AllowCredentials()
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }
}
