using Lobby.Api.Services.Rooms;

namespace Lobby.Api.Http.Realtime;

/// <summary>
/// Where services publish committed room changes: straight to this replica's followers, and,
/// with REDIS_URL, to the other replicas through <see cref="RedisEventRelay"/>. Neither waits:
/// a publish is a few queue offers, whatever clients or Redis are doing.
/// </summary>
internal sealed class RoomEventBus(RoomFanOut fanOut, RedisEventRelay? relay = null) : IRoomEventPublisher
{
    public void Publish(RoomEvent roomEvent)
    {
        fanOut.Deliver(roomEvent);
        relay?.Publish(roomEvent);
    }
}
