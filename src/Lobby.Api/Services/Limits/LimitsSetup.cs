using Lobby.Api.Store;

namespace Lobby.Api.Services.Limits;

internal static class LimitsSetup
{
    /// <summary>The counter behind every limit: Redis when REDIS_URL is set, this process otherwise.</summary>
    public static IServiceCollection AddLobbyLimits(this IServiceCollection services)
    {
        services.AddSingleton<InProcessRateLimitCounter>();
        services.AddSingleton<IRateLimitCounter>(sp =>
        {
            var local = sp.GetRequiredService<InProcessRateLimitCounter>();
            return sp.GetService<SharedRedis>() is { } redis
                ? new RedisRateLimitCounter(redis, local, sp.GetRequiredService<ILogger<RedisRateLimitCounter>>())
                : local;
        });
        services.AddSingleton<UserActionLimiter>();
        return services;
    }
}
