using System.Threading.RateLimiting;

namespace Lobby.Api.Services;

/// <summary>
/// A fixed one-minute window of permits per key, in this process. Running out is a
/// <see cref="RateLimitedException"/> carrying how long to wait (Retry-After).
/// </summary>
internal sealed class PerMinuteLimiter<TKey> : IDisposable
    where TKey : notnull
{
    private readonly PartitionedRateLimiter<TKey> _limiter;

    public PerMinuteLimiter(int permits, Func<TKey, TKey>? normalise = null) =>
        _limiter = PartitionedRateLimiter.Create<TKey, TKey>(key => RateLimitPartition.GetFixedWindowLimiter(
            normalise is null ? key : normalise(key),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    public void Acquire(TKey key, string message)
    {
        using var lease = _limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            throw new RateLimitedException(message, retryAfter);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
