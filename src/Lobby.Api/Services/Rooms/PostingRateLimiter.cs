using Lobby.Api.Config;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Services.Rooms;

/// <summary>Messages per user per minute (MESSAGE_RATE_LIMIT_PER_MINUTE), across all rooms, per replica.</summary>
internal sealed class PostingRateLimiter(IOptions<LobbyOptions> options) : IDisposable
{
    private readonly PerMinuteLimiter<Guid> _limiter = new(options.Value.MessagesPerMinutePerUser);

    public void Acquire(Guid userId) => _limiter.Acquire(userId, "You are posting too fast; wait a moment.");

    public void Dispose() => _limiter.Dispose();
}
