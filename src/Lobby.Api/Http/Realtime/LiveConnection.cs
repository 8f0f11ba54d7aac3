using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// One live connection on this replica: who it is, the rooms it follows (each with its
/// <see cref="RoomCursor"/>) and its outbox, a bounded queue that only its own
/// <see cref="DeliveryPump"/> drains. Publishers only ever offer to the outbox; a connection whose
/// outbox is full is closed with a reason that tells the client to resume by seq, so no client
/// can make a publisher wait.
/// </summary>
internal sealed class LiveConnection
{
    private readonly Channel<OutboxItem> _outbox;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closing;
    private long _writeStartedTicks;

    private readonly RealtimeMetrics _metrics;

    public LiveConnection(HubConnectionContext context, Guid userId, Guid sessionId, string role, int queueLimit, RealtimeMetrics metrics)
    {
        _metrics = metrics;
        Context = context;
        UserId = userId;
        SessionId = sessionId;
        Role = role;
        _outbox = Channel.CreateBounded<OutboxItem>(new BoundedChannelOptions(queueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite answers false when full: we close instead of waiting
        });
        context.ConnectionAborted.Register(() => _closed.TrySetResult());
    }

    public HubConnectionContext Context { get; }
    public string Id => Context.ConnectionId;
    public Guid UserId { get; }
    public Guid SessionId { get; }
    public string Role { get; }

    /// <summary>Rooms this connection follows. Added by Subscribe; the pump confirms, moves and ends them.</summary>
    public ConcurrentDictionary<Guid, RoomCursor> Rooms { get; } = new();

    public ConcurrentDictionary<Guid, long> LastTypingTicks { get; } = new();

    public ChannelReader<OutboxItem> Outbox => _outbox.Reader;

    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    /// <summary>Queues an item for this connection without waiting; a full outbox closes the connection.</summary>
    public void Offer(OutboxItem item, ILogger logger)
    {
        if (_outbox.Writer.TryWrite(item) || IsClosing)
        {
            return;
        }

        logger.LogInformation("Closing live connection {ConnectionId} of user {UserId}: {Reason} (outbox full)", Id, UserId, CloseReasons.SlowConsumer);
        _ = CloseAsync(CloseReasons.SlowConsumer, allowReconnect: true);
    }

    /// <summary>Writes to the client; the write is watched so a client that stops reading is closed (see <see cref="StalledFor"/>).</summary>
    public async ValueTask WriteAsync(SerializedHubMessage message, CancellationToken ct)
    {
        Volatile.Write(ref _writeStartedTicks, Environment.TickCount64);
        try
        {
            await Context.WriteAsync(message, ct);
            _metrics.Sent();
        }
        finally
        {
            Volatile.Write(ref _writeStartedTicks, 0);
        }
    }

    /// <summary>How long the current write has been waiting on the client (zero when none is).</summary>
    public TimeSpan StalledFor(long nowTicks)
    {
        var started = Volatile.Read(ref _writeStartedTicks);
        return started == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(nowTicks - started);
    }

    /// <summary>
    /// Ends the connection with a reason the client can act on: an optional last event (the
    /// restart hint), then SignalR's close message (with allowReconnect), then a short wait for
    /// the client to close the socket itself, so it sees a clean close rather than a dropped one.
    /// </summary>
    public async Task CloseAsync(string reason, bool allowReconnect, SerializedHubMessage? lastWords = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        _outbox.Writer.TryComplete();
        _metrics.Closed(reason);
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (lastWords is not null)
            {
                await Context.WriteAsync(lastWords, patience.Token);
            }

            await Context.WriteAsync(new CloseMessage(reason, allowReconnect), patience.Token);
            await _closed.Task.WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or IOException or InvalidOperationException)
        {
            // A client that does not read gets no goodbye; it finds the socket closed and resumes by seq.
        }

        Context.Abort();
    }

    /// <summary>The connection is gone: nothing more is queued.</summary>
    public void Finish() => _outbox.Writer.TryComplete();
}

/// <summary>Per connection and room: what was sent last, and the access it was checked for.</summary>
internal sealed class RoomCursor
{
    private volatile bool _confirmed;
    private volatile bool _member;

    /// <summary>The highest message seq sent on this connection (only the pump touches it).</summary>
    public long LastSentSeq { get; set; }

    /// <summary>The room's access version this connection's access was last checked at.</summary>
    public long AccessVersion { get; set; }

    /// <summary>Access checked and caught up: live events flow (and the user counts as present).</summary>
    public bool Confirmed { get => _confirmed; set => _confirmed = value; }

    /// <summary>A member of the room (may type), as of the last check or membership event.</summary>
    public bool IsMember { get => _member; set => _member = value; }
}

/// <summary>The reasons Lobby gives when it closes a live connection (SignalR close message "error").</summary>
internal static class CloseReasons
{
    /// <summary>The client fell too far behind; reconnect and resubscribe from the last seq seen.</summary>
    public const string SlowConsumer = "slow-consumer: resume from your last seq";

    /// <summary>The server is restarting; reconnect (to another replica) and resume.</summary>
    public const string ServerRestarting = "server-restarting: reconnect and resume from your last seq";

    /// <summary>The session ended (logout, revoked, user disabled, role changed): sign in or refresh first.</summary>
    public const string SessionEnded = "session-ended: refresh your token or sign in again";
}

/// <summary>What a connection's outbox holds: events to deliver, and the subscribe commands that order with them.</summary>
internal abstract record OutboxItem;

/// <summary>A room event, serialized once for every connection that gets it.</summary>
internal sealed record Deliver(Services.Rooms.RoomEvent Event, SerializedHubMessage Message) : OutboxItem;

/// <summary>Start following a room after <paramref name="AfterSeq"/>; <paramref name="Done"/> completes once caught up.</summary>
internal sealed record Follow(Guid RoomId, long AfterSeq, TaskCompletionSource Done) : OutboxItem;

/// <summary>Events of the room may have been lost (the relay was down): re-check access and send what is missing.</summary>
internal sealed record Resync(Guid RoomId) : OutboxItem;
