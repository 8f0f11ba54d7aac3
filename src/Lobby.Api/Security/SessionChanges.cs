using System.Threading.Channels;
using Lobby.Api.Store;
using StackExchange.Redis;

namespace Lobby.Api.Security;

/// <summary>
/// Sessions whose state just changed (logged out, revoked, user disabled, role changed):
/// <see cref="SessionCheck.Evict(Guid)"/> reports them here, so live connections of those sessions
/// are re-checked at once (Http/Realtime/SessionSweeper), not at the next sweep. With REDIS_URL the
/// report also reaches every other replica (<see cref="SessionChangeRelay"/>), which drops its
/// cached check and re-checks its connections: revocation holds across replicas within a second.
/// </summary>
internal sealed class SessionChanges(SharedRedis? redis = null)
{
    public static readonly RedisChannel Topic = RedisChannel.Literal("lobby:sessions");

    private readonly Channel<Guid> _changed = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<Guid> Changed => _changed.Reader;

    public void Report(Guid sessionId)
    {
        ReportHere(sessionId);
        redis?.Publish(Topic, redis.Origin + sessionId.ToString("N"));
    }

    /// <summary>A change made on another replica: only this replica's connections need the re-check.</summary>
    public void ReportHere(Guid sessionId) => _changed.Writer.TryWrite(sessionId);
}

/// <summary>Receives other replicas' session changes (REDIS_URL): forgets the cached check, re-checks connections.</summary>
internal sealed class SessionChangeRelay(SharedRedis redis, SessionCheck sessions, SessionChanges changes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.Subscribe(SessionChanges.Topic, message =>
        {
            var text = (string?)message ?? "";
            if (text.Length == 64 && !text.StartsWith(redis.Origin, StringComparison.Ordinal) && Guid.TryParseExact(text[32..], "N", out var sessionId))
            {
                sessions.Forget(sessionId);
                changes.ReportHere(sessionId);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask; // the connection closes with the process
}
