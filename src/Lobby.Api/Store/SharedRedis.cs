using StackExchange.Redis;

namespace Lobby.Api.Store;

internal static class SharedRedisSetup
{
    /// <summary>With REDIS_URL, one connection for everything the replicas share (limits, live state).</summary>
    public static IServiceCollection AddLobbyRedis(this IServiceCollection services, IConfiguration configuration)
    {
        var url = configuration["REDIS_URL"];
        if (!string.IsNullOrWhiteSpace(url))
        {
            services.AddSingleton<IConnectionMultiplexer>(_ => SharedRedis.Connect(url.Trim()));
            services.AddSingleton<SharedRedis>();
        }

        return services;
    }
}

/// <summary>
/// The Redis that replicas share (REDIS_URL): the one connection, this replica's origin id (so a
/// replica can skip what it published itself), and fire-and-forget publishing. Registered only
/// when REDIS_URL is set; without it a single replica runs with no extra service.
/// </summary>
internal sealed class SharedRedis(IConnectionMultiplexer redis, ILogger<SharedRedis> logger)
{
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    public IConnectionMultiplexer Connection => redis;

    public IDatabase Database => redis.GetDatabase();

    public bool IsConnected => redis.IsConnected;

    public static IConnectionMultiplexer Connect(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false; // start without Redis and reconnect in the background
        // Every call Lobby makes takes well under a millisecond; waiting longer only delays a request.
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 500;
        options.AsyncTimeout = 500;
        options.ReconnectRetryPolicy = new LinearRetry(1000); // back within a second of Redis returning
        return ConnectionMultiplexer.Connect(options);
    }

    /// <summary>
    /// Subscribes without holding up the caller (a replica starts while Redis is down): retries
    /// every second until Redis takes the subscription, which the client then keeps across
    /// reconnects. Messages reach <paramref name="handler"/> one at a time, in publish order.
    /// </summary>
    public void Subscribe(RedisChannel channel, Action<RedisValue> handler)
    {
        _ = Task.Run(async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var queue = await redis.GetSubscriber().SubscribeAsync(channel);
                    queue.OnMessage(message => handler(message.Message));
                    return;
                }
                catch (RedisException ex)
                {
                    if (attempt == 1)
                    {
                        logger.LogWarning("Cannot subscribe to {Channel} yet ({Reason}); retrying every second", channel.ToString(), ex.Message);
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
        });
    }

    /// <summary>Publishes without waiting; a Redis that is down or slow never holds up the caller.</summary>
    public void Publish(RedisChannel channel, RedisValue payload)
    {
        try
        {
            redis.GetSubscriber().Publish(channel, payload, CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Could not publish on {Channel}: {Reason}", channel.ToString(), ex.Message);
        }
    }
}
