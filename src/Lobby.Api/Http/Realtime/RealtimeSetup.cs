using Lobby.Api.Config;
using Lobby.Api.Security;
using Lobby.Api.Services.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http.Realtime;

internal static class RealtimeSetup
{
    public static IServiceCollection AddLobbyRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        var signalR = services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = 8 * 1024;
            o.EnableDetailedErrors = false;
        });

        // Several replicas share events through SignalR's Redis backplane; without REDIS_URL, one instance needs nothing else.
        var redis = configuration["REDIS_URL"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            signalR.AddStackExchangeRedis(redis.Trim(), o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("lobby"));
        }

        services.AddSingleton<RoomGates>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<RoomFeed>();
        services.AddSingleton<IRoomEventPublisher>(sp => sp.GetRequiredService<RoomFeed>());
        services.AddHostedService<SessionSweeper>();
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
