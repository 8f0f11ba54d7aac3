using StackExchange.Redis;

namespace Lobby.Api.Store;

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
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.ReconnectRetryPolicy = new LinearRetry(1000); // back within a second of Redis returning
        return ConnectionMultiplexer.Connect(options);
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
