using Lobby.Api.Config;
using Lobby.Api.Store;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// REALTIME_MAX_CONNECTIONS_PER_USER. On one replica the registry counts; with REDIS_URL the count
/// is shared: a sorted set per user (lobby:connections:{user}) holds every replica's connections,
/// scored by an expiry each replica refreshes, so a killed replica's connections stop counting
/// after REALTIME_PRESENCE_TTL_SECONDS. While Redis is unreachable the cap is per replica (fails
/// open: live updates are worth more than the exact cap; see docs/OPERATIONS.md).
/// </summary>
internal sealed class ConnectionCap(
    ConnectionRegistry registry, IOptions<LobbyOptions> options, ILogger<ConnectionCap> logger, SharedRedis? redis = null)
    : BackgroundService
{
    // Drop expired entries, refuse at the cap, else add: one atomic step for all replicas.
    // ARGV: now, max, expires, connection, keep (positional: LuaScript's named parameters are
    // read by reflection, which Native AOT does not keep).
    private const string Acquire = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

    private TimeSpan Ttl => TimeSpan.FromSeconds(options.Value.RealtimePresenceTtlSeconds);

    public async Task<bool> TryAcquireAsync(LiveConnection connection)
    {
        var max = options.Value.RealtimeMaxConnectionsPerUser;
        if (!registry.TryAdd(connection, max))
        {
            return false;
        }

        if (redis is null || !redis.IsConnected)
        {
            return true;
        }

        try
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var admitted = (int)await redis.Database.ScriptEvaluateAsync(
                Acquire,
                [Key(connection.UserId)],
                [now, max, now + (long)Ttl.TotalMilliseconds, connection.Id, (long)(Ttl * 2).TotalMilliseconds]);
            if (admitted == 1)
            {
                return true;
            }

            registry.Remove(connection.Id);
            return false;
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Connection cap counted on this replica only: {Reason}", ex.Message);
            return true;
        }
    }

    public void Release(LiveConnection connection)
    {
        if (redis is null)
        {
            return;
        }

        try
        {
            redis.Database.SortedSetRemove(Key(connection.UserId), connection.Id, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // The entry expires on its own.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (redis is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(Ttl / 3);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var expires = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)Ttl.TotalMilliseconds;
            try
            {
                foreach (var user in registry.All.GroupBy(c => c.UserId))
                {
                    redis.Database.SortedSetAdd(Key(user.Key), [.. user.Select(c => new SortedSetEntry(c.Id, expires))], CommandFlags.FireAndForget);
                    redis.Database.KeyExpire(Key(user.Key), Ttl * 2, CommandFlags.FireAndForget);
                }
            }
            catch (RedisException ex)
            {
                logger.LogWarning("Could not refresh live connection counts: {Reason}", ex.Message);
            }
        }
    }

    private static RedisKey Key(Guid userId) => "lobby:connections:" + userId.ToString("N");
}
