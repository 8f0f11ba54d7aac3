using System.Threading.Channels;

namespace Lobby.Api.Security;

/// <summary>
/// Sessions whose state just changed on this replica (logged out, revoked, user disabled, role
/// changed): <see cref="SessionCheck.Evict(Guid)"/> reports them here so live connections of those
/// sessions are re-checked at once (Http/Realtime/SessionSweeper), not at the next sweep.
/// </summary>
internal sealed class SessionChanges
{
    private readonly Channel<Guid> _changed = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    public void Report(Guid sessionId) => _changed.Writer.TryWrite(sessionId);

    public ChannelReader<Guid> Changed => _changed.Reader;
}
