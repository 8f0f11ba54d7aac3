namespace Lobby.Api.Services.Limits;

/// <summary>How many hits a key has had in its current window, and when that window ends.</summary>
internal readonly record struct WindowCount(long Count, TimeSpan ResetsIn);

/// <summary>
/// Fixed-window hit counters: the one primitive every Lobby limit is built on. In-process by
/// default; shared by every replica through Redis when REDIS_URL is set, so N replicas enforce
/// one limit, not N. Both implementations count the same way (the first hit opens a window of
/// the given length; every hit in it adds one), so a limit means the same with or without Redis.
/// </summary>
internal interface IRateLimitCounter
{
    /// <summary>Adds one hit to <paramref name="key"/> and returns the count so far in its window.</summary>
    ValueTask<WindowCount> HitAsync(string key, TimeSpan window, CancellationToken ct);
}
