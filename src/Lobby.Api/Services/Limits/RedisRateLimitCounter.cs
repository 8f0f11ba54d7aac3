using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Lobby.Api.Services.Limits;

/// <summary>
/// Counters in Redis, shared by every replica. One Lua script increments and sets the expiry
/// atomically, so concurrent hits from several replicas are counted exactly once each. If Redis
/// cannot be reached the hit is counted in this process instead (fail over to per-replica
/// limits rather than fail open or refuse everyone): limits stay on, at worst N times looser.
/// </summary>
internal sealed class RedisRateLimitCounter(
    RedisConnection redis, InProcessRateLimitCounter fallback, ILogger<RedisRateLimitCounter> logger) : IRateLimitCounter, IAsyncDisposable
{
    private const string Prefix = "lobby:limit:";

    // INCR creates the key at 1; the first hit of a window gives it the window's lifetime.
    private static readonly LuaScript Script = LuaScript.Prepare("""
        local count = redis.call('INCR', @key)
        local ttl = redis.call('PTTL', @key)
        if ttl < 0 then
          redis.call('PEXPIRE', @key, @window)
          ttl = tonumber(@window)
        end
        return { count, ttl }
        """);

    private long _lastWarning;

    public async ValueTask<WindowCount> HitAsync(string key, TimeSpan window, CancellationToken ct)
    {
        try
        {
            var db = (await redis.GetAsync(ct)).GetDatabase();
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(Script, new { key = (RedisKey)RedisKeyOf(key), window = (long)window.TotalMilliseconds }))!;
            return new WindowCount((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // One warning a minute is enough to page someone; every request would flood the log.
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastWarning);
            if (now - last > 60_000 && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
            {
                logger.LogWarning(ex, "Redis unreachable for rate limits; counting in this process until it is back");
            }

            return fallback.Hit(key, window);
        }
    }

    public ValueTask DisposeAsync() => redis.DisposeAsync();

    // Keys hold emails and addresses: hash them so Redis never stores who tried what.
    private static string RedisKeyOf(string key) =>
        Prefix + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 18);
}
