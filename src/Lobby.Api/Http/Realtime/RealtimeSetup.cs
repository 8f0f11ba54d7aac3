using Lobby.Api.Security;
using Lobby.Api.Services.Rooms;
using Microsoft.AspNetCore.SignalR;
using Lobby.Api.Store;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// The live delivery pipeline, in the order an event travels it (docs/REALTIME.md):
/// a service commits and publishes to <see cref="RoomEventBus"/> → <see cref="RoomFanOut"/> offers it
/// to the outbox of each following <see cref="LiveConnection"/> (and <see cref="RedisEventRelay"/>
/// carries it to the other replicas' fan-out) → each connection's <see cref="DeliveryPump"/> sends it
/// in seq order, filled from the database, after checking access.
/// </summary>
internal static class RealtimeSetup
{
    public static IServiceCollection AddLobbyRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = 8 * 1024;
            o.EnableDetailedErrors = false;
        }).AddJsonProtocol(o => LobbyJsonContext.ResolveOnlyWith(o.PayloadSerializerOptions));
        services.AddSingleton<HubLifetimeManager<RoomHub>, LiveLifetimeManager>();

        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<RealtimeMetrics>();
        services.AddSingleton<RoomFanOut>();
        services.AddSingleton<DeliveryPump>();
        services.AddSingleton<PresenceBoard>();
        services.AddSingleton<ConnectionCap>();
        services.AddHostedService(sp => sp.GetRequiredService<ConnectionCap>());
        services.AddHostedService(sp => sp.GetRequiredService<PresenceBoard>());

        // Several replicas share events through Redis; without REDIS_URL, one instance needs nothing else.
        var redis = configuration["REDIS_URL"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<RedisEventRelay>();
            services.AddHostedService(sp => sp.GetRequiredService<RedisEventRelay>());
            services.AddHostedService<SessionChangeRelay>();
            services.AddHealthChecks().AddCheck<Health.BackplaneReadinessCheck>("backplane", tags: [Health.HealthEndpoints.ReadyTag]);
            services.AddSingleton(sp => new RoomEventBus(
                sp.GetRequiredService<RoomFanOut>(), sp.GetRequiredService<ILogger<RoomEventBus>>(), sp.GetRequiredService<RedisEventRelay>()));
        }
        else
        {
            services.AddSingleton<RoomEventBus>();
        }

        services.AddSingleton<IRoomEventPublisher>(sp => sp.GetRequiredService<RoomEventBus>());
        services.AddHostedService(sp => sp.GetRequiredService<RoomEventBus>());

        services.AddHostedService<SessionSweeper>();
        services.AddHostedService<StalledWriteWatch>();
        services.AddHostedService<RealtimeShutdown>();
        return services;
    }

    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder app)
    {
        app.MapHub<RoomHub>(RoomHub.Path, o => o.CloseOnAuthenticationExpiration = true).RequireAuthorization(Policies.User);
        return app;
    }

    /// <summary>Browsers cannot set headers on WebSockets: SignalR sends the token as ?access_token= on the hub path only.</summary>
    public static string? TokenFromQuery(HttpRequest request) =>
        request.Path.StartsWithSegments(RoomHub.Path) && request.Query.TryGetValue("access_token", out var token) && token.Count == 1
            ? token[0]
            : null;
}
