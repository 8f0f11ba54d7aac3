using Lobby.Api.Data.Rooms;
using Lobby.Api.Services;
using Lobby.Api.Services.Rooms;
using Lobby.Api.Store;
using Microsoft.AspNetCore.SignalR;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Live room events over SignalR. Events go to the room's SignalR group, which the Redis
/// backplane (REDIS_URL) carries to every replica. Subscribing catches up from the database under
/// the room's gate, so within a replica catch-up and live events meet without gap or duplicate.
/// </summary>
internal sealed class RoomFeed(
    IHubContext<RoomHub> hub, RoomGates gates, ConnectionRegistry registry, Database database, ILogger<RoomFeed> logger)
    : IRoomEventPublisher
{
    public const string ClientMethod = "RoomEvent";
    private const int CatchUpPage = 500;
    private static readonly TimeSpan TypingInterval = TimeSpan.FromSeconds(2);

    public static string Group(Guid roomId) => "room:" + roomId.ToString("N");

    public ValueTask<IAsyncDisposable> EnterAsync(Guid roomId, CancellationToken ct) => gates.EnterAsync(roomId, ct);

    public async Task PublishAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        try
        {
            // The change is committed; a slow or gone client must not fail the request that made it.
            await hub.Clients.Group(Group(roomEvent.RoomId)).SendAsync(ClientMethod, roomEvent, CancellationToken.None);
            switch (roomEvent.Type)
            {
                case RoomEvent.MemberLeft when roomEvent.Data is MemberLeftData left:
                    // A removed member stops receiving the room at once (on this replica; others re-check on their sweep).
                    foreach (var connection in registry.OfUserInRoom(left.UserId, roomEvent.RoomId).ToList())
                    {
                        await hub.Clients.Client(connection.ConnectionId).SendAsync(ClientMethod, roomEvent, CancellationToken.None);
                        await LeaveAsync(connection, roomEvent.RoomId);
                    }

                    await PublishPresenceAsync(roomEvent.RoomId);
                    break;
                case RoomEvent.RoomDeleted:
                    foreach (var connection in registry.InRoom(roomEvent.RoomId).ToList())
                    {
                        await LeaveAsync(connection, roomEvent.RoomId);
                    }

                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or StackExchange.Redis.RedisException)
        {
            logger.LogWarning(ex, "Could not publish {EventType} for room {RoomId}", roomEvent.Type, roomEvent.RoomId);
        }
    }

    /// <summary>Sends every message after <paramref name="afterSeq"/> in order, then live events follow.</summary>
    public async Task SubscribeAsync(RealtimeConnection connection, Guid roomId, long afterSeq, CancellationToken ct)
    {
        if (afterSeq < 0)
        {
            throw new HubException("afterSeq must be 0 or more.");
        }

        var actor = new Actor(connection.UserId, connection.Role);
        try
        {
            await database.WithConnectionAsync(async db =>
                RoomService.Visible(await RoomQueries.FindForUserAsync(db, null, roomId, actor.UserId, ct), actor), ct);
        }
        catch (NotFoundException)
        {
            // Exactly what a missing room says: a private room of others does not exist for the caller.
            throw new HubException("No room with this id.");
        }

        await using (await gates.EnterAsync(roomId, ct))
        {
            await hub.Groups.AddToGroupAsync(connection.ConnectionId, Group(roomId), ct);
            connection.Rooms[roomId] = 0;
            var client = hub.Clients.Client(connection.ConnectionId);
            var seq = afterSeq;
            while (true)
            {
                var page = await database.WithConnectionAsync(db => MessageQueries.AfterAsync(db, roomId, seq, CatchUpPage, ct), ct);
                foreach (var message in page)
                {
                    var view = MessageService.ToView(message);
                    await client.SendAsync(ClientMethod, new RoomEvent(RoomEvent.MessageCreated, roomId, view.Seq, view), ct);
                }

                if (page.Count < CatchUpPage)
                {
                    break;
                }

                seq = page[^1].Seq;
            }
        }

        await PublishPresenceAsync(roomId);
    }

    public async Task UnsubscribeAsync(RealtimeConnection connection, Guid roomId)
    {
        if (connection.Rooms.ContainsKey(roomId))
        {
            await LeaveAsync(connection, roomId);
            await PublishPresenceAsync(roomId);
        }
    }

    public async Task DisconnectedAsync(RealtimeConnection connection)
    {
        foreach (var roomId in connection.Rooms.Keys.ToList())
        {
            connection.Rooms.TryRemove(roomId, out _);
            await PublishPresenceAsync(roomId);
        }
    }

    /// <summary>Tells the room someone is typing; at most once every 2 s per connection and room, never stored.</summary>
    public async Task TypingAsync(RealtimeConnection connection, Guid roomId)
    {
        if (!connection.Rooms.ContainsKey(roomId))
        {
            throw new HubException("Subscribe to the room first.");
        }

        var now = Environment.TickCount64;
        var last = connection.LastTypingTicks.GetValueOrDefault(roomId, long.MinValue / 2);
        if (now - last < TypingInterval.TotalMilliseconds)
        {
            return;
        }

        connection.LastTypingTicks[roomId] = now;
        await hub.Clients.GroupExcept(Group(roomId), connection.ConnectionId)
            .SendAsync(ClientMethod, new RoomEvent(RoomEvent.Typing, roomId, null, new { userId = connection.UserId }));
    }

    private async Task LeaveAsync(RealtimeConnection connection, Guid roomId)
    {
        connection.Rooms.TryRemove(roomId, out _);
        await hub.Groups.RemoveFromGroupAsync(connection.ConnectionId, Group(roomId));
    }

    private Task PublishPresenceAsync(Guid roomId) =>
        hub.Clients.Group(Group(roomId)).SendAsync(ClientMethod, new RoomEvent(RoomEvent.Presence, roomId, null, new { userIds = registry.OnlineIn(roomId) }));
}
