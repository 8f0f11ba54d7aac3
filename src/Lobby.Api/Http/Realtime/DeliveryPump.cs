using Lobby.Api.Data.Rooms;
using Lobby.Api.Services;
using Lobby.Api.Services.Rooms;
using Lobby.Api.Store;
using Microsoft.AspNetCore.SignalR;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// The one loop per connection that sends it anything. It drains the connection's outbox in
/// order and, per followed room, keeps the connection exact:
/// <list type="bullet">
/// <item>catch-up after Subscribe is paged from the database by seq, on this connection only;</item>
/// <item>message.created is sent once, in seq order: a seq already sent is dropped, a jump is
/// filled from the database first (a committed seq N means every seq below N is committed, since
/// the room row's lock orders writers), so the seam between catch-up and live events, events
/// arriving out of order, and events lost in transport all end the same: 1, 2, 3, ...;</item>
/// <item>access is enforced on delivery: an event committed under a newer access version of the
/// room (made private, a member removed) makes the connection re-check its access first.</item>
/// </list>
/// Only this connection waits on its own client; a stalled write is seen by <see cref="StalledWriteWatch"/>.
/// </summary>
internal sealed class DeliveryPump(Database database, ConnectionRegistry registry, PresenceBoard presence, ILogger<DeliveryPump> logger)
{
    private const int Page = 500;

    public const string SubscriptionEnded = "subscription.ended";

    public async Task RunAsync(LiveConnection connection)
    {
        var ct = connection.Context.ConnectionAborted;
        try
        {
            await foreach (var item in connection.Outbox.ReadAllAsync(ct))
            {
                switch (item)
                {
                    case Follow follow:
                        await FollowAsync(connection, follow, ct);
                        break;
                    case Deliver deliver:
                        await DeliverAsync(connection, deliver, ct);
                        break;
                    case Resync resync:
                        await ResyncAsync(connection, resync.RoomId, ct);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The connection went away mid-send.
        }
        catch (Exception ex) when (ex is DatabaseUnavailableException or Npgsql.NpgsqlException)
        {
            // Without the database this connection cannot stay exact: let it resume later.
            logger.LogWarning("Closing live connection {ConnectionId}: database unavailable ({Reason})", connection.Id, ex.Message);
            await connection.CloseAsync(CloseReasons.SlowConsumer, allowReconnect: true);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Delivery to live connection {ConnectionId} failed", connection.Id);
            await connection.CloseAsync(CloseReasons.SlowConsumer, allowReconnect: true);
        }
    }

    private async Task FollowAsync(LiveConnection connection, Follow follow, CancellationToken ct)
    {
        if (!connection.Rooms.TryGetValue(follow.RoomId, out var cursor))
        {
            follow.Done.TrySetResult();
            return;
        }

        try
        {
            var room = await VisibleRoomAsync(connection, follow.RoomId, ct);
            if (room is null)
            {
                End(connection, follow.RoomId);
                // Exactly what a missing room says: a private room of others does not exist for the caller.
                follow.Done.TrySetException(new HubException("No room with this id."));
                return;
            }

            cursor.AccessVersion = room.AccessVersion;
            cursor.IsMember = room.MyRole is not null;
            cursor.LastSentSeq = Math.Min(follow.AfterSeq, room.LastSeq);
            await SendFromDatabaseAsync(connection, cursor, follow.RoomId, long.MaxValue, ct);
            cursor.Confirmed = true;
            presence.Changed(follow.RoomId);
            await connection.WriteAsync(RoomFanOut.Serialize(presence.Snapshot(follow.RoomId)), ct);
            follow.Done.TrySetResult();
        }
        catch (Exception ex)
        {
            follow.Done.TrySetException(ex is HubException ? ex : new HubException("Could not subscribe; try again."));
            throw;
        }
    }

    private async Task DeliverAsync(LiveConnection connection, Deliver deliver, CancellationToken ct)
    {
        var e = deliver.Event;
        if (e.ForUser is { } forUser)
        {
            // The user's own state (what they read), not the room's: no seq, no room access to check.
            if (forUser == connection.UserId)
            {
                await connection.WriteAsync(deliver.Message, ct);
            }

            return;
        }

        if (!connection.Rooms.TryGetValue(e.RoomId, out var cursor) || !cursor.Confirmed || e.FromConnection == connection.Id)
        {
            // Not (yet) following: the catch-up of its Follow reads the database after this event committed.
            return;
        }

        var aboutMe = e.Subject == connection.UserId;
        if (e.Type == RoomEvent.MemberLeft && aboutMe)
        {
            // Told why, then nothing more from this room.
            await connection.WriteAsync(deliver.Message, ct);
            End(connection, e.RoomId);
            return;
        }

        if (e.AccessVersion > cursor.AccessVersion && !await StillAllowedAsync(connection, cursor, e.RoomId, ct))
        {
            return;
        }

        switch (e.Type)
        {
            case RoomEvent.MessageCreated when e.Seq is { } seq:
                if (seq <= cursor.LastSentSeq)
                {
                    return;
                }

                if (seq > cursor.LastSentSeq + 1)
                {
                    await SendFromDatabaseAsync(connection, cursor, e.RoomId, seq - 1, ct);
                }

                await connection.WriteAsync(deliver.Message, ct);
                cursor.LastSentSeq = seq;
                return;
            case RoomEvent.MessageUpdated or RoomEvent.MessageDeleted when e.Seq > cursor.LastSentSeq:
                // Not sent yet: it goes out in its current state when its seq is filled in.
                return;
            case RoomEvent.MemberJoined when aboutMe:
                cursor.IsMember = true;
                break;
            case RoomEvent.RoomDeleted:
                await connection.WriteAsync(deliver.Message, ct);
                End(connection, e.RoomId);
                return;
        }

        await connection.WriteAsync(deliver.Message, ct);
    }

    private async Task ResyncAsync(LiveConnection connection, Guid roomId, CancellationToken ct)
    {
        if (connection.Rooms.TryGetValue(roomId, out var cursor) && cursor.Confirmed && await StillAllowedAsync(connection, cursor, roomId, ct))
        {
            await SendFromDatabaseAsync(connection, cursor, roomId, long.MaxValue, ct);
        }
    }

    /// <summary>Sends the room's messages after the cursor, up to <paramref name="upTo"/>, in seq order.</summary>
    private async Task SendFromDatabaseAsync(LiveConnection connection, RoomCursor cursor, Guid roomId, long upTo, CancellationToken ct)
    {
        while (cursor.LastSentSeq < upTo)
        {
            var take = (int)Math.Min(Page, upTo - cursor.LastSentSeq);
            var after = cursor.LastSentSeq;
            var page = await database.WithConnectionAsync(db => MessageQueries.AfterAsync(db, roomId, after, take, ct), ct);
            foreach (var message in page)
            {
                var view = MessageService.ToView(message);
                await connection.WriteAsync(RoomFanOut.Serialize(new RoomEvent(RoomEvent.MessageCreated, roomId, view.Seq, view)), ct);
                cursor.LastSentSeq = view.Seq;
            }

            if (page.Count < take)
            {
                return;
            }
        }
    }

    private async Task<bool> StillAllowedAsync(LiveConnection connection, RoomCursor cursor, Guid roomId, CancellationToken ct)
    {
        var room = await VisibleRoomAsync(connection, roomId, ct);
        if (room is null)
        {
            End(connection, roomId);
            await connection.WriteAsync(RoomFanOut.Serialize(new RoomEvent(SubscriptionEnded, roomId, null, new SubscriptionEndedData("access"))), ct);
            return false;
        }

        cursor.AccessVersion = room.AccessVersion;
        cursor.IsMember = room.MyRole is not null;
        return true;
    }

    private async Task<RoomRow?> VisibleRoomAsync(LiveConnection connection, Guid roomId, CancellationToken ct)
    {
        var room = await database.WithConnectionAsync(db => RoomQueries.FindForUserAsync(db, null, roomId, connection.UserId, ct), ct);
        return room is not null && RoomPermissions.CanSee(room.Kind, room.Visibility, room.MyRole, new Actor(connection.UserId, connection.Role)) ? room : null;
    }

    private void End(LiveConnection connection, Guid roomId)
    {
        registry.Unfollow(connection, roomId);
        connection.Rooms.TryRemove(roomId, out _);
        presence.Changed(roomId);
    }
}
