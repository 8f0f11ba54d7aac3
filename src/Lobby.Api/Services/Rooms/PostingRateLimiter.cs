using System.Threading.RateLimiting;
using Lobby.Api.Config;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Services.Rooms;

/// <summary>Messages per user per minute (MESSAGE_RATE_LIMIT_PER_MINUTE), across all rooms, per replica.</summary>
internal sealed class PostingRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _limiter;

    public PostingRateLimiter(IOptions<LobbyOptions> options)
    {
        var permits = options.Value.MessagesPerMinutePerUser;
        _limiter = PartitionedRateLimiter.Create<Guid, Guid>(user => RateLimitPartition.GetFixedWindowLimiter(
            user, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public void Acquire(Guid userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
            throw new RateLimitedException("You are posting too fast; wait a moment.", retryAfter);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
