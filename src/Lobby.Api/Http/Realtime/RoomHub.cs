using Lobby.Api.Config;
using Lobby.Api.Security;
using Lobby.Api.Services.Rooms;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// The real-time endpoint (/api/v1/realtime). Clients call Subscribe(roomId, afterSeq),
/// Unsubscribe(roomId) and Typing(roomId); the server calls RoomEvent. Thin: each call becomes
/// a change to the connection's followed rooms or an item in its outbox (see docs/REALTIME.md
/// for the pipeline: RoomEventBus → RoomFanOut → LiveConnection outbox → DeliveryPump).
/// </summary>
[Authorize(Policy = Policies.User)]
internal sealed class RoomHub(
    ConnectionRegistry registry, ConnectionCap cap, DeliveryPump pump, PresenceBoard presence, IRoomEventPublisher events,
    IOptions<LobbyOptions> options, RealtimeMetrics metrics, ILogger<RoomHub> logger) : Hub
{
    public const string Path = "/api/v1/realtime";
    private static readonly TimeSpan TypingInterval = TimeSpan.FromSeconds(2);

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        var o = options.Value;
        var connection = new LiveConnection(LiveLifetimeManager.ConnectionOf(Context), user.UserId(), user.SessionId(), user.Role(), o.RealtimeQueueLimit, metrics);
        if (!await cap.TryAcquireAsync(connection))
        {
            throw new HubException($"At most {o.RealtimeMaxConnectionsPerUser} live connections per user.");
        }

        _ = pump.RunAsync(connection);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (registry.Remove(Context.ConnectionId) is { } connection)
        {
            if (!connection.IsClosing)
            {
                metrics.Ended(exception);
                if (exception is not null)
                {
                    logger.LogDebug("Live connection {ConnectionId} of user {UserId} lost: {Cause}", connection.Id, connection.UserId, exception.Message);
                }
            }

            connection.Finish();
            cap.Release(connection);
            foreach (var roomId in connection.Rooms.Keys)
            {
                presence.Changed(roomId);
            }
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Sends every message after <paramref name="afterSeq"/> in order, then live events; returns once caught up.</summary>
    public async Task Subscribe(Guid roomId, long afterSeq)
    {
        if (afterSeq < 0)
        {
            throw new HubException("afterSeq must be 0 or more.");
        }

        var connection = Current();
        if (!connection.Rooms.ContainsKey(roomId) && connection.Rooms.Count >= options.Value.RealtimeMaxRoomsPerConnection)
        {
            throw new HubException($"At most {options.Value.RealtimeMaxRoomsPerConnection} rooms per connection; unsubscribe from one first.");
        }

        // Follow first, then queue the catch-up: every event committed after the catch-up's read
        // is already on its way into this outbox, and those before it are dropped by seq.
        connection.Rooms[roomId] = new RoomCursor();
        registry.Follow(connection, roomId);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Offer(new Follow(roomId, afterSeq, done), logger);
        await done.Task.WaitAsync(Context.ConnectionAborted);
    }

    public Task Unsubscribe(Guid roomId) => Refusable(() => UnsubscribeCore(roomId));

    /// <summary>Tells the room someone is typing: members only, at most once every 2 s per connection and room, never stored.</summary>
    public Task Typing(Guid roomId) => Refusable(() => TypingCore(roomId));

    // Without dynamic code (Native AOT, and the JIT build with the same feature switches) SignalR
    // calls hub methods by reflection, which wraps a synchronous throw: the caller then gets
    // "An unexpected error" instead of the refusal. A faulted task reaches it unwrapped.
    private static Task Refusable(Action action)
    {
        try
        {
            action();
            return Task.CompletedTask;
        }
        catch (HubException ex)
        {
            return Task.FromException(ex);
        }
    }

    private void UnsubscribeCore(Guid roomId)
    {
        var connection = Current();
        if (connection.Rooms.TryRemove(roomId, out _))
        {
            registry.Unfollow(connection, roomId);
            presence.Changed(roomId);
        }
    }

    private void TypingCore(Guid roomId)
    {
        var connection = Current();
        if (!connection.Rooms.TryGetValue(roomId, out var cursor) || !cursor.Confirmed)
        {
            throw new HubException("Subscribe to the room first.");
        }

        if (!cursor.IsMember)
        {
            throw new HubException("Only members of the room may type in it.");
        }

        var now = Environment.TickCount64;
        var last = connection.LastTypingTicks.GetValueOrDefault(roomId, long.MinValue / 2);
        if (now - last < TypingInterval.TotalMilliseconds)
        {
            return;
        }

        connection.LastTypingTicks[roomId] = now;
        events.Publish(new RoomEvent(RoomEvent.Typing, roomId, null, new UserRef(connection.UserId))
        {
            AccessVersion = cursor.AccessVersion,
            FromConnection = connection.Id,
        });
    }

    private LiveConnection Current() => registry.Find(Context.ConnectionId) ?? throw new HubException("Connection is closing.");
}
