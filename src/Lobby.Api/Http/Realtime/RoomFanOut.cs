using Lobby.Api.Services.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Hands one room event to the outbox of every connection on this replica that follows the room.
/// The event is serialized once for all of them; nothing here waits on a client.
/// </summary>
internal sealed class RoomFanOut(ConnectionRegistry registry, ILogger<RoomFanOut> logger)
{
    public const string ClientMethod = "RoomEvent";

    public static SerializedHubMessage Serialize(RoomEvent roomEvent) => new(new InvocationMessage(ClientMethod, [roomEvent]));

    public void Deliver(RoomEvent roomEvent)
    {
        // An event for one user (read.updated) goes to each of their connections, following the room or not.
        var followers = roomEvent.ForUser is { } userId ? registry.OfUser(userId) : registry.FollowersOf(roomEvent.RoomId);
        if (followers.Count == 0)
        {
            return;
        }

        var item = new Deliver(roomEvent, Serialize(roomEvent));
        foreach (var connection in followers)
        {
            connection.Offer(item, logger);
        }
    }
}
