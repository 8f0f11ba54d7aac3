using Lobby.Api.Config;
using Lobby.Api.Data.Auth;
using Lobby.Api.Store;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Security;

/// <summary>
/// Makes revocation reach access tokens. Every authenticated request checks that its session
/// is still open, the user not disabled and the role unchanged. Each replica caches the answer
/// for SESSION_CHECK_CACHE_SECONDS (default 10). On the replica that revoked a session it stops at
/// once; with REDIS_URL other replicas are told within milliseconds (<see cref="SessionChanges"/>),
/// so the cache lifetime only bounds how long a revocation takes while Redis is unreachable.
/// </summary>
internal sealed class SessionCheck(Database database, IMemoryCache cache, IOptions<LobbyOptions> options, SessionChanges changes)
{
    /// <summary>For a live connection whose token was already bound to its user when it connected.</summary>
    public Task<bool> IsValidAsync(Guid sessionId, string role, CancellationToken ct) => IsValidAsync(sessionId, null, role, ct);

    /// <summary>The session is open, belongs to <paramref name="userId"/> (the token's sub), and the user still has <paramref name="role"/>.</summary>
    public async Task<bool> IsValidAsync(Guid sessionId, Guid? userId, string role, CancellationToken ct)
    {
        var ttl = options.Value.Auth.SessionCheckCache;
        var key = CacheKey(sessionId);
        if (!cache.TryGetValue(key, out SessionState? state))
        {
            state = await database.WithConnectionAsync(db => SessionQueries.StateAsync(db, sessionId, ct), ct);
            if (ttl > TimeSpan.Zero)
            {
                cache.Set(key, state, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl, Size = 1 });
            }
        }

        return state is { Active: true, Disabled: false } && state.Role == role && (userId is null || state.UserId == userId);
    }

    /// <summary>The session changed here: every replica checks it afresh (see <see cref="SessionChanges"/>).</summary>
    public void Evict(Guid sessionId)
    {
        cache.Remove(CacheKey(sessionId));
        changes.Report(sessionId);
    }

    /// <summary>Another replica changed the session: drop the cached answer only.</summary>
    public void Forget(Guid sessionId) => cache.Remove(CacheKey(sessionId));

    public void Evict(IEnumerable<Guid> sessionIds)
    {
        foreach (var id in sessionIds)
        {
            Evict(id);
        }
    }

    private static string CacheKey(Guid sessionId) => "session:" + sessionId.ToString("N");
}
