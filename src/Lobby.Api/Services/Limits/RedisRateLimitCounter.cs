using System.Security.Cryptography;
using System.Text;
using Lobby.Api.Store;
using StackExchange.Redis;

namespace Lobby.Api.Services.Limits;

/// <summary>
/// Counters in Redis, shared by every replica. One Lua script increments and sets the expiry
/// atomically, so concurrent hits from several replicas are counted exactly once each. If Redis
/// cannot be reached the hit is counted in this process instead (fail over to per-replica
/// limits rather than fail open or refuse everyone): limits stay on, at worst N times looser.
/// After a failure Redis is left alone for 5 s, so a hung Redis costs one timeout per 5 s, not one per request.
/// </summary>
internal sealed class RedisRateLimitCounter(
    SharedRedis redis, InProcessRateLimitCounter fallback, ILogger<RedisRateLimitCounter> logger) : IRateLimitCounter
{
    private const string Prefix = "lobby:limit:";

    // INCR creates the key at 1; the first hit of a window gives it the window's lifetime.
    // KEYS/ARGV, not LuaScript's named parameters: those are read off an object by reflection,
    // which Native AOT does not keep (docs/decisions/0019).
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return { count, ttl }
        """;

    // After a failure, count in-process for a while instead of asking Redis again: a Redis that
    // hangs rather than refuses must not add its timeout to every post and sign-in.
    private const long RetryAfterMs = 5_000;

    private long _lastWarning;
    private long _bypassUntil;

    public async ValueTask<WindowCount> HitAsync(string key, TimeSpan window, CancellationToken ct)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _bypassUntil))
        {
            return fallback.Hit(key, window);
        }

        try
        {
            var db = redis.Database;
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(Script, [RedisKeyOf(key)], [(long)window.TotalMilliseconds]))!;
            return new WindowCount((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            var now = Environment.TickCount64;
            Interlocked.Exchange(ref _bypassUntil, now + RetryAfterMs);
            // One warning a minute is enough to page someone; every request would flood the log.
            var last = Interlocked.Read(ref _lastWarning);
            if (now - last > 60_000 && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
            {
                logger.LogWarning(ex, "Redis unreachable for rate limits; counting in this process until it is back");
            }

            return fallback.Hit(key, window);
        }
    }

    // Keys hold emails and addresses: hash them so Redis never stores who tried what.
    private static string RedisKeyOf(string key) =>
        Prefix + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 18);
}
